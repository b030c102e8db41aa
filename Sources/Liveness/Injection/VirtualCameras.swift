/// Cameras that are software, not a lens: they play whatever a program gives them (a video,
/// a deepfake, a photo) to the browser as if it were the user's camera. Matched against
/// the label the browser gives the camera track (the page sends it in `hello`).
enum VirtualCameras {
    /// Lower-case fragments of the labels of known virtual-camera drivers.
    static let knownLabels = [
        "obs virtual", "obs-camera", "obs camera", "manycam", "xsplit", "snap camera", "e2esoft", "vcam",
        "splitcam", "camtwist", "v4l2loopback", "dummy video device", "droidcam", "iriun", "epoccam",
        "youcam", "altercam", "facerig", "avatarify", "virtual camera", "virtual webcam", "virtualcam",
    ]

    /// The fragment that marks `label` as a virtual camera, or nil.
    static func match(_ label: String) -> String? {
        let lowered = label.lowercased()
        return knownLabels.first { lowered.contains($0) }
    }
}
