import FaceServices
import Foundation
import TestSupport
import XCTest

final class ImageInputTests: XCTestCase {
    let service = TestData.service
    let folder = "robustness/compreface_imgtools"

    func testEveryFormatDecodesToTheSamePictureWithAFace() async throws {
        for name in ["einstein.jpeg", "einstein.png", "einstein.bmp", "einstein.webp", "einstein.gif"] {
            let image = try service.decode(try TestData.bytes("\(folder)/\(name)"))
            let faces = try await service.detect(image, options: DetectOptions())
            XCTAssertEqual(faces.count, 1, "\(name): \(image.width)x\(image.height)")
        }
    }

    func testBrokenFilesGiveCode2004AndNeverCrash() throws {
        for name in ["corrupted.png", "empty.png"] {
            XCTAssertThrowsError(try service.decode(try TestData.bytes("\(folder)/\(name)")), name) { error in
                XCTAssertEqual((error as? ServiceError)?.code, .invalidImage, "\(name): \(error)")
            }
        }
        // A truncated JPEG either decodes what is there (libjpeg fills the rest) or is refused
        // with 2004; both are correct, a crash is not.
        do {
            let image = try service.decode(try TestData.bytes("\(folder)/truncated.jpg"))
            XCTAssertGreaterThan(image.width, 0)
        } catch let error as ServiceError {
            XCTAssertEqual(error.code, .invalidImage)
        }
    }

    func testEveryRobustnessFileGivesAResultOrA2004() async throws {
        for file in try TestData.files(in: folder) {
            do {
                let image = try service.decode(try TestData.bytes(file))
                _ = try await service.detect(image, options: DetectOptions())
            } catch let error as ServiceError {
                XCTAssertEqual(error.code, .invalidImage, "\(file): \(error)")
            }
        }
    }

    func testSizeLimits() throws {
        var huge = Data([0xFF, 0xD8, 0xFF, 0xE0])
        huge.append(Data(count: ImageLimits.standard.maxBytes))
        XCTAssertThrowsError(try service.decode(huge)) { XCTAssertEqual(($0 as? ServiceError)?.code, .invalidImage) }

        let small = try TestData.image("\(folder)/einstein.jpeg").resized(width: 48, height: 60).jpeg()
        XCTAssertThrowsError(try service.decode(small)) { error in
            XCTAssertEqual((error as? ServiceError)?.code, .invalidImage)
            XCTAssertTrue("\(error)".contains("at least 64"), "\(error)")
        }
        XCTAssertThrowsError(try service.decode(Data())) { XCTAssertEqual(($0 as? ServiceError)?.code, .invalidImage) }
    }

    func testAPNGHeaderClaimingAHugeCanvasIsRefusedBeforeDecoding() throws {
        var png = try TestData.bytes("\(folder)/einstein.png")
        // IHDR width and height live at bytes 16-23; claim 60000 x 60000.
        png.replaceSubrange(16..<24, with: [0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60])
        XCTAssertThrowsError(try service.decode(png)) { XCTAssertEqual(($0 as? ServiceError)?.code, .invalidImage) }
    }

    func testEXIFOrientationIsHonoured() async throws {
        let original = try TestData.bytes("\(folder)/einstein.jpeg")
        let plain = try service.decode(original)
        let rotated = try service.decode(Self.withOrientation(6, jpeg: original))
        XCTAssertEqual(rotated.width, plain.height)
        XCTAssertEqual(rotated.height, plain.width)
        // Upright again after the rotation, so the face is still found.
        let faces = try await service.detect(rotated, options: DetectOptions())
        XCTAssertEqual(faces.count, 1)
    }

    /// The JPEG with an EXIF APP1 segment holding only an Orientation tag, right after SOI.
    static func withOrientation(_ orientation: UInt16, jpeg: Data) -> Data {
        var tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08] // big endian, IFD at 8
        tiff += [0x00, 0x01]                                                 // one entry
        tiff += [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]             // Orientation, SHORT, count 1
        tiff += [UInt8(orientation >> 8), UInt8(orientation & 0xFF), 0x00, 0x00]
        tiff += [0x00, 0x00, 0x00, 0x00]                                     // no next IFD
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        var segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        var out = Data(jpeg.prefix(2))
        out.append(contentsOf: segment)
        out.append(jpeg.dropFirst(2))
        segment.removeAll()
        return out
    }
}
