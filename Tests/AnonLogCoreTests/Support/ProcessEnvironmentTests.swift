import Foundation
import Testing
@testable import AnonLogCore

struct ProcessEnvironmentTests {
    @Test func currentHoldsTheSameVariablesAsFoundationSees() {
        let ours = ProcessEnvironment.current()
        let foundation = ProcessInfo.processInfo.environment
        #expect(!ours.isEmpty)
        for name in ["PATH", "HOME"] where foundation[name] != nil {
            #expect(ours[name] == foundation[name], "\(name)")
        }
        #expect(Set(ours.keys) == Set(foundation.keys))
    }
}
