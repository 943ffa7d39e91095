import Testing
@testable import VanBanKit

@Test func moduleLoads() {}
