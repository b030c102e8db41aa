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
        let upright = try service.decode(try TestData.bytes("\(folder)/einstein.jpeg"))
        // A camera held sideways stores the pixels turned and says so in EXIF (6: turn 90
        // degrees clockwise to display).
        let stored = try upright.rotated(quarterTurns: -1).jpeg()
        let sideways = try service.decode(stored)
        let shown = try service.decode(Self.withOrientation(6, jpeg: stored))
        XCTAssertEqual(sideways.width, upright.height)
        XCTAssertEqual(shown.width, upright.width)
        XCTAssertEqual(shown.height, upright.height)
        let uprightFaces = try await service.detect(shown, options: DetectOptions())
        XCTAssertEqual(uprightFaces.count, 1, "the EXIF turn makes the face upright again")
        let sidewaysFaces = try await service.detect(sideways, options: DetectOptions())
        if let face = sidewaysFaces.first, let found = uprightFaces.first {
            XCTAssertLessThan(face.face.score, found.face.score, "without the tag the face lies on its side")
        }
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
