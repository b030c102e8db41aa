// swift-tools-version:6.0
import PackageDescription

// The face engines are Debian's OpenCV 4.6 and dlib 19.24, reached through one C++ target.
// Its code is always compiled with optimisation: dlib's templates at -O0 run 30-60x slower,
// which would make debug builds (and the tests that use them) useless.
let engineFlags: [CXXSetting] = [
    .unsafeFlags(["-I/usr/include/opencv4", "-O2", "-DNDEBUG", "-fno-math-errno", "-Wno-deprecated-declarations"]),
]

let package = Package(
    name: "veriface",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "veriface", targets: ["veriface"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
    ],
    targets: [
        .target(
            name: "EngineBridge",
            cxxSettings: engineFlags,
            linkerSettings: [
                .linkedLibrary("opencv_dnn"), .linkedLibrary("opencv_objdetect"),
                .linkedLibrary("opencv_imgcodecs"),
                .linkedLibrary("opencv_imgproc"), .linkedLibrary("opencv_core"),
                .linkedLibrary("dlib"), .linkedLibrary("gif"),
                .linkedLibrary("blas"), .linkedLibrary("lapack"), .linkedLibrary("m"),
                .linkedLibrary("stdc++"),
            ]
        ),
        .target(
            name: "FaceServices",
            dependencies: [
                "EngineBridge",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Evaluation",
            dependencies: ["FaceServices"]
        ),
        .target(
            name: "WebAPI",
            dependencies: [
                "FaceServices",
                .product(name: "Vapor", package: "vapor"),
            ],
            resources: [.copy("OpenAPI/openapi.json")]
        ),
        .executableTarget(
            name: "veriface",
            dependencies: [
                "FaceServices", "Evaluation", "WebAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["FaceServices"],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "FaceServicesTests",
            dependencies: ["FaceServices", "Evaluation", "TestSupport"]
        ),
        .testTarget(
            name: "WebAPITests",
            dependencies: [
                "WebAPI", "TestSupport",
                .product(name: "XCTVapor", package: "vapor"),
            ]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
