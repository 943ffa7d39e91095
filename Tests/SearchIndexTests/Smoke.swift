import Testing
@testable import SearchIndex

@Test func moduleLoads() {}
