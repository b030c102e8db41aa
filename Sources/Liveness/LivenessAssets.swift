import Foundation

/// Where the H5 page's files are (the module's `Web/h5` folder).
public enum LivenessAssets {
    public static let root = Bundle.module.resourceURL!.appendingPathComponent("Web").appendingPathComponent("h5")
}
