enum FaceIndexPlaceholder {}
