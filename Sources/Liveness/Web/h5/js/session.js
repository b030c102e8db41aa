// GET /h5/api/session (docs/h5-protocol.md section 1): the session's id, actions,
// server key and timing. Failures become a SessionError carrying a return code.

export class SessionError extends Error {
  constructor(code, message) {
    super(message || `code ${code}`);
    this.code = code;
    this.serverMessage = message || '';
  }
}

const NETWORK_ERROR = 1008;
const INVALID_LINK = 4004;

export async function loadSession(token) {
  if (!token) throw new SessionError(INVALID_LINK);
  const sentAt = Date.now();
  let response;
  try {
    response = await fetch(`/h5/api/session?token=${encodeURIComponent(token)}`,
      { cache: 'no-store', credentials: 'same-origin' });
  } catch {
    throw new SessionError(NETWORK_ERROR);
  }
  const receivedAt = Date.now();
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: handled below */ }
  const error = body && (body.Error || (body.Response && body.Response.Error));
  if (error) throw new SessionError(Number(error.Code), error.Message);
  if (!response.ok || !isSession(body)) throw new SessionError(response.status === 404 ? INVALID_LINK : NETWORK_ERROR);
  return { ...body, clockOffset: clockOffset(response.headers.get('Date'), sentAt, receivedAt) };
}

function isSession(body) {
  return body && typeof body.sessionId === 'string' && Array.isArray(body.actions)
    && typeof body.serverPublicKey === 'string';
}

// The server refuses frames whose capture time is more than 5 s off its clock, and phone
// clocks can be off by more than that. The Date header gives the server's time to the
// second; we correct only a clear difference so a right clock is left alone.
function clockOffset(dateHeader, sentAt, receivedAt) {
  const serverTime = Date.parse(dateHeader || '');
  if (Number.isNaN(serverTime)) return 0;
  const offset = serverTime + 500 - (sentAt + receivedAt) / 2;
  return Math.abs(offset) > 2000 ? Math.round(offset) : 0;
}
