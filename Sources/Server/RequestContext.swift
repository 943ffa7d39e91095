import Hummingbird
import Logging

/// The request context: Hummingbird's core storage plus the client's address for the log.
public struct VanBanRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// "ip:port" of the client, when known.
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress.map { address in
            if let ip = address.ipAddress, let port = address.port { return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
            return address.description
        }
    }
}
