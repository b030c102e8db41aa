import XCTest

@testable import SingleSignOn

final class BERTests: XCTestCase {
    func testIntegersUseMinimalTwosComplement() throws {
        let cases: [(Int, [UInt8])] = [
            (0, [0x02, 0x01, 0x00]), (127, [0x02, 0x01, 0x7F]), (128, [0x02, 0x02, 0x00, 0x80]),
            (256, [0x02, 0x02, 0x01, 0x00]), (-1, [0x02, 0x01, 0xFF]), (-129, [0x02, 0x02, 0xFF, 0x7F]),
            (2_147_483_647, [0x02, 0x04, 0x7F, 0xFF, 0xFF, 0xFF]),
        ]
        for (value, bytes) in cases {
            XCTAssertEqual(BERElement.integer(value).encoded, bytes, "\(value)")
            XCTAssertEqual(try BERElement(decoding: bytes).integerValue(), value)
        }
    }

    func testShortAndLongFormLengths() throws {
        XCTAssertEqual(BERElement.encodedLength(127), [0x7F])
        XCTAssertEqual(BERElement.encodedLength(128), [0x81, 0x80])
        XCTAssertEqual(BERElement.encodedLength(200), [0x81, 0xC8])
        XCTAssertEqual(BERElement.encodedLength(300), [0x82, 0x01, 0x2C])
        XCTAssertEqual(BERElement.encodedLength(70_000), [0x83, 0x01, 0x11, 0x70])

        for size in [0, 127, 128, 200, 300, 70_000] {
            let element = BERElement(identifier: 0x04, content: Array(repeating: 0x61, count: size))
            let decoded = try BERElement(decoding: element.encoded)
            XCTAssertEqual(decoded, element)
        }
    }

    func testFrameLengthWaitsForTheWholeElement() throws {
        let element = BERElement(identifier: 0x04, content: Array(repeating: 0x61, count: 300))
        let bytes = element.encoded
        XCTAssertEqual(bytes.count, 304)
        for prefixLength in 0..<bytes.count {
            XCTAssertNil(try BERElement.frameLength(ofFirstElementIn: bytes.prefix(prefixLength)), "\(prefixLength)")
        }
        XCTAssertEqual(try BERElement.frameLength(ofFirstElementIn: bytes), 304)
        XCTAssertEqual(try BERElement.frameLength(ofFirstElementIn: bytes + [0x30, 0x03]), 304)
    }

    func testMessagesSplitAcrossReadsAreReassembled() throws {
        let first = LDAPRequest.bind(dn: "uid=alice,ou=people,dc=veriface,dc=test", password: "secret").envelope(messageID: 1)
        let second = LDAPRequest.search(LDAPSearch(
            baseDN: "ou=groups,dc=veriface,dc=test", scope: .wholeSubtree,
            filter: .equality(attribute: "member", value: String(repeating: "x", count: 400)), attributes: ["cn"]
        )).envelope(messageID: 2)
        let stream = first.encoded + second.encoded

        for chunkSize in [1, 2, 3, 7, 64, 500] {
            var pending: [UInt8] = []
            var frames: [BERElement] = []
            var offset = 0
            while offset < stream.count {
                pending += stream[offset..<min(offset + chunkSize, stream.count)]
                offset += chunkSize
                while let length = try BERElement.frameLength(ofFirstElementIn: pending) {
                    frames.append(try BERElement(decoding: Array(pending.prefix(length))))
                    pending.removeFirst(length)
                }
            }
            XCTAssertEqual(frames, [first, second], "chunk size \(chunkSize)")
            XCTAssertTrue(pending.isEmpty)
        }
    }

    func testMalformedLengthsAreRejected() {
        XCTAssertThrowsError(try BERElement.frameLength(ofFirstElementIn: [0x30, 0x80, 0x00, 0x00])) {
            XCTAssertEqual($0 as? BERError, .indefiniteLength)
        }
        XCTAssertThrowsError(try BERElement.frameLength(ofFirstElementIn: [0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF])) {
            XCTAssertEqual($0 as? BERError, .lengthTooLarge)
        }
        XCTAssertThrowsError(try BERElement(decoding: [0x04, 0x05, 0x61])) {
            XCTAssertEqual($0 as? BERError, .truncated)
        }
        XCTAssertThrowsError(try BERElement(decoding: [0x04, 0x01, 0x61, 0x00])) {
            XCTAssertEqual($0 as? BERError, .trailingBytes)
        }
    }
}

final class LDAPMessageTests: XCTestCase {
    func testBindRequestMatchesRFC4511Encoding() {
        let bytes = LDAPRequest.bind(dn: "cn=a", password: "b").envelope(messageID: 1).encoded
        XCTAssertEqual(bytes, [
            0x30, 0x11, 0x02, 0x01, 0x01,
            0x60, 0x0C, 0x02, 0x01, 0x03, 0x04, 0x04, 0x63, 0x6E, 0x3D, 0x61, 0x80, 0x01, 0x62,
        ])
    }

    func testUnbindRequestIsAnEmptyApplicationTwo() {
        XCTAssertEqual(LDAPRequest.unbind.envelope(messageID: 3).encoded, [0x30, 0x05, 0x02, 0x01, 0x03, 0x42, 0x00])
    }

    func testBindResponseIsDecoded() throws {
        let reply: [UInt8] = [0x30, 0x0C, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0A, 0x01, 0x31, 0x04, 0x00, 0x04, 0x00]
        XCTAssertEqual(
            try LDAPIncomingMessage(decoding: reply),
            LDAPIncomingMessage(messageID: 1, response: .bind(LDAPResult(code: 49))))
    }

    func testSearchResultEntryIsDecodedWithCaseInsensitiveAttributeNames() throws {
        let entry = BERElement.constructed(0x64, [
            .octetString("cn=operators,ou=groups"),
            .sequence([
                .sequence([.octetString("CN"), .constructed(0x31, [.octetString("operators"), .octetString("ops")])]),
                .sequence([.octetString("mail"), .constructed(0x31, [.octetString("ops@example.org")])]),
            ]),
        ])
        let message = try LDAPIncomingMessage(decoding: BERElement.sequence([.integer(2), entry]).encoded)
        guard case .searchEntry(let decoded) = message.response else { return XCTFail("\(message)") }
        XCTAssertEqual(decoded.dn, "cn=operators,ou=groups")
        XCTAssertEqual(decoded.firstValue(of: "cn"), "operators")
        XCTAssertEqual(decoded.attributes["cn"], ["operators", "ops"])
        XCTAssertEqual(decoded.firstValue(of: "Mail"), "ops@example.org")
    }

    func testFiltersAreStructuredAndTheirTextIsEscaped() {
        let filter = LDAPFilter.and([.present(attribute: "objectClass"), .equality(attribute: "member", value: "a*(b)\\")])
        XCTAssertEqual(filter.stringRepresentation, "(&(objectClass=*)(member=a\\2a\\28b\\29\\5c))")
        XCTAssertEqual(
            LDAPFilter.equality(attribute: "cn", value: "*").ber.encoded,
            [0xA3, 0x07, 0x04, 0x02, 0x63, 0x6E, 0x04, 0x01, 0x2A])
    }
}

final class LDAPNameTests: XCTestCase {
    func testDNValuesAreEscapedPerRFC4514() {
        XCTAssertEqual(LDAPDistinguishedName.escapeAttributeValue("alice"), "alice")
        XCTAssertEqual(LDAPDistinguishedName.escapeAttributeValue("alice)(uid=*"), "alice)(uid\\=*")
        XCTAssertEqual(LDAPDistinguishedName.escapeAttributeValue("a,ou=people"), "a\\,ou\\=people")
        XCTAssertEqual(LDAPDistinguishedName.escapeAttributeValue("#x y "), "\\#x y\\ ")
        XCTAssertEqual(LDAPDistinguishedName.escapeAttributeValue(" a+b;c<d>e\"f\\"), "\\ a\\+b\\;c\\<d\\>e\\\"f\\\\")
        XCTAssertEqual(LDAPDistinguishedName.escapeAttributeValue("刘"), "刘")
    }

    func testUserDNComesFromTheTemplate() throws {
        XCTAssertEqual(
            try LDAPDistinguishedName.userDN(template: "uid={username},ou=people,dc=x", username: "bob,dc=x"),
            "uid=bob\\,dc\\=x,ou=people,dc=x")
    }

    func testUsernameAttributeIsReadFromTheTemplate() {
        XCTAssertEqual(LDAPDistinguishedName.usernameAttribute(template: "uid={username},ou=people,dc=x"), "uid")
        XCTAssertEqual(LDAPDistinguishedName.usernameAttribute(template: "cn=Staff+sAMAccountName={username},dc=x"), "sAMAccountName")
        XCTAssertEqual(LDAPDistinguishedName.usernameAttribute(template: "ou=people, mail={username}"), "mail")
        XCTAssertNil(LDAPDistinguishedName.usernameAttribute(template: "{username}@example.org"))
    }

    func testControlCharactersAndEmptyNamesAreRefused() {
        for name in ["", "alice\u{0}", "alice\n", "al\u{7F}ice", "alice\u{202E}", String(repeating: "a", count: 257)] {
            XCTAssertThrowsError(try LDAPDistinguishedName.validate(username: name)) {
                XCTAssertEqual($0 as? LDAPError, .invalidUsername, name.debugDescription)
            }
        }
    }

    func testServerAddressesAreParsed() throws {
        XCTAssertEqual(try LDAPServerAddress(url: "ldap://127.0.0.1:3389"), LDAPServerAddress(host: "127.0.0.1", port: 3389))
        XCTAssertEqual(try LDAPServerAddress(url: "LDAP://ldap.example.org/dc=example"), LDAPServerAddress(host: "ldap.example.org", port: 389))
        XCTAssertEqual(try LDAPServerAddress(url: "ldap://[::1]:1389/"), LDAPServerAddress(host: "::1", port: 1389))
        XCTAssertThrowsError(try LDAPServerAddress(url: "ldaps://ldap.example.org"))
        XCTAssertThrowsError(try LDAPServerAddress(url: "ldap://host:99999"))
        XCTAssertThrowsError(try LDAPServerAddress(url: "ldap://:389"))
    }

    func testSettingsFromEnvironment() {
        XCTAssertNil(LDAPSettings.fromEnvironment([:]))
        XCTAssertNil(LDAPSettings.fromEnvironment(["VERIFACE_LDAP_URL": "ldap://x"]))
        let settings = LDAPSettings.fromEnvironment([
            "VERIFACE_LDAP_URL": "ldap://x:1389", "VERIFACE_LDAP_USER_DN": "uid={username},dc=x",
            "VERIFACE_LDAP_GROUP_BASE": "ou=groups,dc=x",
        ])
        XCTAssertEqual(settings, LDAPSettings(url: "ldap://x:1389", userDNTemplate: "uid={username},dc=x", groupBase: "ou=groups,dc=x"))
        XCTAssertEqual(settings?.timeout, .seconds(5))
    }
}
