import BlocktopSupport
import Foundation
import Testing

/// A private folder is new, unguessable and closed to other users.
@Suite struct PrivateFolderTests {
    @Test func eachFolderIsNewUnderTheTemporaryFolderAndOnlyItsOwnerMayEnterIt() throws {
        let first = try PrivateFolder.make(named: "blocktop-test")
        let second = try PrivateFolder.make(named: "blocktop-test")
        defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }
        #expect(first != second)
        for path in [first, second] {
            #expect(URL(fileURLWithPath: path).lastPathComponent.hasPrefix("blocktop-test-"))
            #expect(URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
                    == URL(fileURLWithPath: NSTemporaryDirectory()).standardizedFileURL.path)
            var info = stat()
            #expect(lstat(path, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFDIR)
            #expect(info.st_mode & 0o777 == 0o700)
            #expect(info.st_uid == getuid())
        }
    }
}
