import Foundation
import Testing
@testable import AnonLogCore

struct ArchiveLockTests {
    /// The pid of a process that has ended.
    static func deadProcess() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func aSecondRunCannotTakeAHeldLock() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lock"
        let first = try ArchiveLock.acquire(at: path)
        #expect(first.takenOverFrom == nil)
        #expect(ArchiveLock.holder(at: path) == getpid())
        do {
            _ = try ArchiveLock.acquire(at: path)
            Issue.record("the lock was taken twice")
        } catch {
            #expect(error.code == .busy && error.code.exitStatus == 75)
            #expect(error.message.contains("process \(getpid())"))
        }
        first.release()
        let second = try ArchiveLock.acquire(at: path)
        #expect(second.takenOverFrom == nil)
    }

    @Test func theStaleLockOfADeadProcessIsTakenOver() throws {
        let directory = try TemporaryDirectory()
        let dead = try Self.deadProcess()
        #expect(!ArchiveLock.isAlive(dead))
        let path = try directory.file("lock", Array("\(dead)\n".utf8))
        let lock = try ArchiveLock.acquire(at: path)
        #expect(lock.takenOverFrom == dead)
        #expect(ArchiveLock.holder(at: path) == getpid())
    }

    @Test func releasingEmptiesTheLockFile() throws {
        let directory = try TemporaryDirectory()
        let lock = try ArchiveLock.acquire(at: directory.path + "/lock")
        lock.release()
        lock.release()
        #expect(try directory.contents(of: "lock").isEmpty)
    }
}
