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
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
    ],
    targets: [
        .target(
            name: "EngineBridge",
            cxxSettings: engineFlags,
            linkerSettings: [
                .linkedLibrary("opencv_dnn"), .linkedLibrary("opencv_objdetect"),
                .linkedLibrary("opencv_imgcodecs"), .linkedLibrary("opencv_videoio"),
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
            name: "FaceIndex",
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]
        ),
        .target(
            name: "Evaluation",
            dependencies: ["FaceServices", "FaceIndex", "Liveness"]
        ),
        .target(
            name: "SingleSignOn",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Platform",
            dependencies: [
                "SingleSignOn", "FaceServices",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Gallery",
            dependencies: [
                "FaceServices", "Platform", "FaceIndex",
                .product(name: "Fluent", package: "fluent"),
            ]
        ),
        .target(
            name: "Console",
            dependencies: [
                "Platform", "Liveness",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ],
            resources: [.copy("Web")]
        ),
        .target(
            name: "Liveness",
            dependencies: [
                "FaceServices", "Platform", "Gallery",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Web"), .copy("StaticLiveness/static-liveness-model.json")]
        ),
        .target(
            name: "WebAPI",
            dependencies: [
                "FaceServices", "Platform", "Console", "Gallery", "Liveness",
                .product(name: "Vapor", package: "vapor"),
            ],
            resources: [.copy("OpenAPI/openapi.json")]
        ),
        .executableTarget(
            name: "veriface",
            dependencies: [
                "FaceServices", "Evaluation", "WebAPI", "Platform", "Console", "Gallery", "Liveness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["FaceServices", "Platform", "WebAPI", "Gallery", .product(name: "XCTVapor", package: "vapor")],
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
        .testTarget(
            name: "GalleryTests",
            dependencies: [
                "Gallery", "WebAPI", "Platform", "TestSupport",
                .product(name: "XCTVapor", package: "vapor"),
            ]
        ),
        .testTarget(
            name: "LivenessTests",
            dependencies: [
                "Liveness", "WebAPI", "Platform", "TestSupport",
                .product(name: "XCTVapor", package: "vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "FaceIndexTests",
            dependencies: ["FaceIndex"]
        ),
        .testTarget(
            name: "SingleSignOnTests",
            dependencies: [
                "SingleSignOn",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .testTarget(
            name: "PlatformTests",
            dependencies: [
                "Platform", "Console", "WebAPI", "TestSupport", "Liveness",
                .product(name: "XCTVapor", package: "vapor"),
            ]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
