import Foundation
import Prometheus
import VanBanKit

/// What `GET /metrics` reports, in Prometheus's text format (swift-prometheus). One registry
/// per server, not the process-wide MetricsSystem: a second server in the same process (the
/// tests run many) counts its own requests only.
///
/// Counted as things happen: requests by route, method and status, their latency, uploads by
/// outcome, searches that ran out of budget or were slow. Read at each scrape: documents,
/// index generation and lag, readiness, result cache.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// A search at least this long counts as slow (the budget stops it at 250 ms by default).
    static let slowSearch: Duration = .milliseconds(100)
    /// Latency buckets, seconds: from a cached search to the longest upload.
    static let buckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000].map { .milliseconds($0) }

    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requestsName, labels: [("route", route), ("method", method), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(descriptor: Self.durationName, labels: [("route", route)], buckets: Self.buckets)
            .record(duration)
    }

    /// One uploaded document's outcome: imported, unchanged or failed.
    func upload(_ outcome: String) {
        registry.makeCounter(descriptor: Self.importsName, labels: [("result", outcome)]).increment()
    }

    /// A search that ran: slow when it took `slowSearch` or more; `tooBroad` when it ran out of
    /// its budget (also slow).
    func search(took: Duration, tooBroad: Bool) {
        if tooBroad { registry.makeCounter(descriptor: Self.tooBroadName).increment() }
        if tooBroad || took >= Self.slowSearch { registry.makeCounter(descriptor: Self.slowName).increment() }
    }

    /// The text exposition, with the index's state read now.
    func exposition(_ library: Library) -> [UInt8] {
        if let status = try? library.status() {
            registry.makeGauge(descriptor: Self.documentsName).set(Double(status.documents))
            registry.makeGauge(descriptor: Self.generationName).set(Double(Self.generationNumber(status.generation) ?? 0))
            registry.makeGauge(descriptor: Self.lagName).set(Double(status.lag))
            registry.makeGauge(descriptor: Self.readyName).set(status.caughtUp ? 1.0 : 0.0)
        } else {
            registry.makeGauge(descriptor: Self.readyName).set(0.0)
        }
        let cache = library.cacheCounters
        registry.makeGauge(descriptor: Self.cacheHitsName).set(Double(cache.hits))
        registry.makeGauge(descriptor: Self.cacheMissesName).set(Double(cache.misses))
        return registry.emitToBuffer()
    }

    /// 3 for "vanban-3.sqlite".
    static func generationNumber(_ name: String) -> Int? {
        Int(name.split(whereSeparator: { !$0.isNumber }).last ?? "")
    }

    /// A VanBan metric's name: vanban_<subsystem>_<metric>[_<unit>].
    private static func name(_ subsystem: String, _ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "vanban", subsystem: subsystem, metricName: metric, unitName: unit, helpText: help)
    }

    static var requestsName: MetricNameDescriptor { name("http", "requests", "total", "HTTP requests answered, by route pattern, method and status.") }
    static var durationName: MetricNameDescriptor { name("http", "request_duration", "seconds", "Time from request to response, by route pattern.") }
    static var importsName: MetricNameDescriptor { name("uploads", "documents", "total", "Documents uploaded with POST /documents, by result (imported, unchanged, failed).") }
    static var slowName: MetricNameDescriptor { name("search", "slow", "total", "Searches that took 100 ms or more, or ran out of their budget.") }
    static var tooBroadName: MetricNameDescriptor { name("search", "too_broad", "total", "Searches stopped by their budget (answered 400 query too broad).") }
    static var documentsName: MetricNameDescriptor { name("index", "documents", "", "Documents in the index.") }
    static var generationName: MetricNameDescriptor { name("index", "generation", "", "The index generation searched (n of vanban-n.sqlite; each reindex adds one).") }
    static var lagName: MetricNameDescriptor { name("index", "lag", "records", "Manifest records the index has not applied yet.") }
    static var readyName: MetricNameDescriptor { name("index", "ready", "", "1 when the index is readable and caught up with the archive, else 0.") }
    static var cacheHitsName: MetricNameDescriptor { name("search", "cache_hits", "", "Searches answered from the result cache since the start.") }
    static var cacheMissesName: MetricNameDescriptor { name("search", "cache_misses", "", "Searches run (not in the result cache) since the start.") }
}
