import XCTest
final class FaceIndexPlaceholderTests: XCTestCase { func testPlaceholder() {} }
