import Testing
@testable import VietText

@Test func moduleLoads() {}
