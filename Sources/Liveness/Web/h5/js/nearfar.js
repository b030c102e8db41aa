// Near-far mode (docs/h5-protocol.md section 7): from the first frame, the page asks for
// the start position for `holdFor` seconds (a small oval: phone far; a large one: phone
// close), then for the move for `moveFor` seconds (the oval changes size with it), then
// hands over to the actions (a blink). The server judges the move from the frames alone.

const STEPS = {
  far_to_near: { start: ['nf_far', 'oval-far'], move: ['nf_closer', 'oval-near'] },
  near_to_far: { start: ['nf_near', 'oval-near'], move: ['nf_farther', 'oval-far'] },
};

// onInstruction(key) shows a step; resolves when the move's time is over.
export function runNearFar(request, stage, onInstruction) {
  const steps = STEPS[request.direction] || STEPS.far_to_near;
  const holdMs = (Number(request.holdFor) || 2.5) * 1000;
  const moveMs = (Number(request.moveFor) || 3) * 1000;
  const show = ([instruction, oval]) => {
    stage.classList.remove('oval-far', 'oval-near');
    stage.classList.add(oval);
    onInstruction(instruction);
  };
  show(steps.start);
  return new Promise((resolve) => {
    setTimeout(() => {
      show(steps.move);
      setTimeout(() => {
        stage.classList.remove('oval-far', 'oval-near');
        resolve();
      }, moveMs);
    }, holdMs);
  });
}
