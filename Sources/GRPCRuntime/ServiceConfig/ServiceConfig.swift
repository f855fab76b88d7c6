/// How a channel treats calls, method by method, in gRPC's service config format: deadlines,
/// wait-for-ready, message size limits, retry and hedging policies, retry throttling and the
/// load-balancing policy. Give it on `GRPCChannel.Configuration.serviceConfig`, built in code or
/// read from the JSON that grpc-go, grpcio and grpc-java read:
///
/// ```swift
/// var configuration = GRPCChannel.Configuration()
/// configuration.serviceConfig = try ServiceConfig(json: """
///     {"methodConfig": [{
///         "name": [{"service": "search.Search"}],
///         "timeout": "2s",
///         "retryPolicy": {"maxAttempts": 4, "initialBackoff": "0.1s", "maxBackoff": "1s",
///                         "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}}],
///      "retryThrottling": {"maxTokens": 10, "tokenRatio": 0.1}}
///     """)
/// ```
public struct ServiceConfig: Sendable, Hashable {
    /// Settings per method; a call takes the first whose names match its method exactly, else
    /// the first naming its service alone, else the first with an empty name (the default).
    public var methodConfigs: [MethodConfig]
    /// Limits retries and hedged attempts channel-wide while calls keep failing.
    public var retryThrottling: RetryThrottling?
    /// How calls are spread over a target's endpoints; overrides the configuration's when set.
    public var loadBalancingPolicy: LoadBalancingPolicy?

    /// A config from its parts; nothing set is the empty config (calls as without one).
    public init(methodConfigs: [MethodConfig] = [], retryThrottling: RetryThrottling? = nil, loadBalancingPolicy: LoadBalancingPolicy? = nil) {
        self.methodConfigs = methodConfigs
        self.retryThrottling = retryThrottling
        self.loadBalancingPolicy = loadBalancingPolicy
    }
}

/// The settings for the methods that `names` match.
public struct MethodConfig: Sendable, Hashable {
    /// Which methods a config applies to: one method (`service` and `method`), every method of a
    /// service (`method` empty), or every method (both empty).
    public struct Name: Sendable, Hashable, CustomStringConvertible {
        /// The fully qualified service name, such as `search.Search`.
        public var service: String
        /// The method's name, such as `Search`; empty for all of the service's methods.
        public var method: String

        /// A name; both parts empty names every method.
        public init(service: String = "", method: String = "") {
            self.service = service
            self.method = method
        }

        /// The name as the JSON form writes it.
        public var description: String { "{service: \"\(service)\", method: \"\(method)\"}" }
    }

    /// The methods the config applies to.
    public var names: [Name]
    /// Waits for a connection instead of failing fast (a call's own `waitForReady` also counts).
    public var waitForReady: Bool?
    /// The longest a call may take; a call's own shorter timeout or deadline wins.
    public var timeout: Duration?
    /// Request messages larger than this fail the call with RESOURCE_EXHAUSTED before they are sent.
    public var maxRequestMessageBytes: Int?
    /// Response messages larger than this fail the call with RESOURCE_EXHAUSTED (the channel's
    /// `maximumReceiveMessageSize` still applies when smaller).
    public var maxResponseMessageBytes: Int?
    /// Tries a call again when it fails with one of the policy's codes before any response came.
    public var retryPolicy: RetryPolicy?
    /// Sends several copies of a call, some time apart, and keeps the first to succeed.
    public var hedgingPolicy: HedgingPolicy?

    /// A method config for the methods `names` match.
    public init(
        names: [Name], waitForReady: Bool? = nil, timeout: Duration? = nil, maxRequestMessageBytes: Int? = nil,
        maxResponseMessageBytes: Int? = nil, retryPolicy: RetryPolicy? = nil, hedgingPolicy: HedgingPolicy? = nil
    ) {
        self.names = names
        self.waitForReady = waitForReady
        self.timeout = timeout
        self.maxRequestMessageBytes = maxRequestMessageBytes
        self.maxResponseMessageBytes = maxResponseMessageBytes
        self.retryPolicy = retryPolicy
        self.hedgingPolicy = hedgingPolicy
    }
}

/// When and how often a failed call is tried again. Attempt `n` (from the second) starts after a
/// random delay between zero and `min(initialBackoff * backoffMultiplier^(n-2), maxBackoff)`,
/// unless the server's `grpc-retry-pushback-ms` trailer gives the delay (or, negative or
/// malformed, forbids trying again).
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included: more than 1; values above 5 count as 5.
    public var maxAttempts: Int
    /// The longest wait before the second attempt (greater than zero).
    public var initialBackoff: Duration
    /// The longest wait before any attempt (greater than zero).
    public var maxBackoff: Duration
    /// How much the longest wait grows from one attempt to the next (greater than zero).
    public var backoffMultiplier: Double
    /// The codes worth trying again for; any other ends the call.
    public var retryableStatusCodes: Set<RPCError.Code>

    /// A retry policy; see `maxAttempts` for the cap.
    public init(
        maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration, backoffMultiplier: Double,
        retryableStatusCodes: Set<RPCError.Code>
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.backoffMultiplier = backoffMultiplier
        self.retryableStatusCodes = retryableStatusCodes
    }
}

/// Copies of a call sent `hedgingDelay` apart, up to `maxAttempts`, while none has failed with a
/// fatal code; the first to succeed is the call's answer.
public struct HedgingPolicy: Sendable, Hashable {
    /// Copies in all, the first included: more than 1; values above 5 count as 5.
    public var maxAttempts: Int
    /// The time between one copy and the next.
    public var hedgingDelay: Duration
    /// Codes after which the other copies go on; any other ends the call.
    public var nonFatalStatusCodes: Set<RPCError.Code>

    /// A hedging policy; see `maxAttempts` for the cap.
    public init(maxAttempts: Int, hedgingDelay: Duration = .zero, nonFatalStatusCodes: Set<RPCError.Code> = []) {
        self.maxAttempts = maxAttempts
        self.hedgingDelay = hedgingDelay
        self.nonFatalStatusCodes = nonFatalStatusCodes
    }
}

/// A channel's retry budget: a bucket of `maxTokens` that each failed attempt empties by one and
/// each success refills by `tokenRatio`. While it holds half or less, calls are not tried again.
public struct RetryThrottling: Sendable, Hashable {
    /// Between 0 (excluded) and 1000.
    public var maxTokens: Int
    /// Greater than 0; counted to three decimal places.
    public var tokenRatio: Double

    /// A throttle of `maxTokens` tokens refilled by `tokenRatio` per successful call.
    public init(maxTokens: Int, tokenRatio: Double) {
        self.maxTokens = maxTokens
        self.tokenRatio = tokenRatio
    }
}

/// A service config that cannot be used: `key` is where in the JSON (such as
/// `methodConfig[0].retryPolicy.maxAttempts`), `message` what is wrong there and the value found.
public struct ServiceConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the config: a path of keys and indices; empty for the document as a whole.
    public var key: String
    /// What is wrong there, with the value found.
    public var message: String

    /// An error at `key`.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    /// The key and the message, for logs and error output.
    public var description: String { key.isEmpty ? "service config: \(message)" : "service config: \(key): \(message)" }
}

// MARK: Reading the JSON form

extension ServiceConfig {
    /// The service config a name publishes in DNS, as gRPC defines it: the TXT record of
    /// `_grpc_config.NAME` that starts with `grpc_config=` holds a JSON array of choices, and the
    /// first choice that applies to this client gives the config. A choice applies when its
    /// `clientLanguage` is absent or lists `swift`, its `clientHostname` is absent or lists
    /// `hostname`, and its `percentage` is absent or above `roll` (a number in 0..<100 drawn
    /// once per client). Nil when no record or no choice applies.
    ///
    /// - Throws: `ServiceConfigError` for a record that is not such an array, a choice with a
    ///   key gRPC does not define (the whole record is then invalid), or a bad config; the keys
    ///   it names start at the choice (`[1].serviceConfig.methodConfig[0]…`).
    public static func fromDNSTXT(
        _ records: [String], hostname: String, roll: Int = Int.random(in: 0..<100)
    ) throws(ServiceConfigError) -> ServiceConfig? {
        let prefix = "grpc_config="
        guard let record = records.first(where: { $0.hasPrefix(prefix) }) else { return nil }
        guard case .array(let choices) = try JSONValue(parsing: String(record.dropFirst(prefix.count))) else {
            throw ServiceConfigError(key: "", message: "grpc_config= must be followed by a JSON array of choices")
        }
        let known: Set<String> = ["clientLanguage", "percentage", "clientHostname", "serviceConfig"]
        var chosen: (JSONValue, String)?
        for (index, choice) in choices.enumerated() {
            let path = "[\(index)]"
            let fields = try Fields(choice, at: path)
            if let unknown = fields.members.first(where: { !known.contains($0.key) }) {
                throw ServiceConfigError(key: fields.key(unknown.key), message: "is not a key of a service config choice")
            }
            let config = try fields.required("serviceConfig", fields.object)
            guard chosen == nil else { continue }
            if let languages = try fields.strings("clientLanguage"), !languages.isEmpty,
                !languages.contains(where: { $0.lowercased() == "swift" }) { continue }
            if let hosts = try fields.strings("clientHostname"), !hosts.isEmpty, !hosts.contains(hostname) { continue }
            if let percentage = try fields.number("percentage") {
                guard percentage >= 0, percentage <= 100, percentage == percentage.rounded() else {
                    throw fields.wrongType("percentage", .number(percentage), expected: "a whole number in 0...100")
                }
                if Double(roll) >= percentage { continue }
            }
            chosen = (.object(config.members), config.path)
        }
        guard let (value, path) = chosen else { return nil }
        return try ServiceConfig(value: value, at: path)
    }
}

extension ServiceConfig {
    /// Reads a service config in gRPC's JSON form. Unknown keys are ignored, as other gRPC
    /// implementations do; known keys with a wrong type or value throw `ServiceConfigError`
    /// naming the key and the value.
    public init(json: String) throws(ServiceConfigError) {
        try self.init(value: JSONValue(parsing: json), at: "")
    }

    /// Reads a config from its JSON tree; `path` prefixes the keys errors name.
    init(value root: JSONValue, at path: String) throws(ServiceConfigError) {
        let fields = try Fields(root, at: path)
        self.init()
        if let list = try fields.array("methodConfig") {
            var seen = Set<MethodConfig.Name>()
            for (index, value) in list.enumerated() {
                let config = try MethodConfig(json: value, at: fields.key("methodConfig") + "[\(index)]")
                for (nameIndex, name) in config.names.enumerated() where !seen.insert(name).inserted {
                    throw ServiceConfigError(key: fields.key("methodConfig") + "[\(index)].name[\(nameIndex)]", message: "\(name) is named by an earlier method config")
                }
                methodConfigs.append(config)
            }
        }
        if let throttling = try fields.object("retryThrottling") {
            let key = fields.key("retryThrottling")
            let maxTokens = try throttling.required("maxTokens", throttling.number)
            guard maxTokens > 0, maxTokens <= 1000, maxTokens == maxTokens.rounded() else {
                throw ServiceConfigError(key: key + ".maxTokens", message: "must be a whole number in 1...1000, not \(JSONValue.number(maxTokens).excerpt)")
            }
            let ratio = try throttling.required("tokenRatio", throttling.number)
            guard ratio > 0 else {
                throw ServiceConfigError(key: key + ".tokenRatio", message: "must be greater than 0, not \(JSONValue.number(ratio).excerpt)")
            }
            retryThrottling = RetryThrottling(maxTokens: Int(maxTokens), tokenRatio: (ratio * 1000).rounded(.down) / 1000)
        }
        if let policies = try fields.array("loadBalancingConfig") {
            var chosen: LoadBalancingPolicy?
            var names: [String] = []
            for (index, policy) in policies.enumerated() {
                guard case .object(let members) = policy, members.count == 1 else {
                    throw ServiceConfigError(key: fields.key("loadBalancingConfig") + "[\(index)]", message: "must be an object with one policy name, not \(policy.excerpt)")
                }
                names.append(members[0].key)
                if chosen == nil { chosen = LoadBalancingPolicy(configName: members[0].key) }
            }
            guard let chosen else {
                throw ServiceConfigError(key: fields.key("loadBalancingConfig"), message: "no supported policy (pick_first, round_robin) among \(names)")
            }
            loadBalancingPolicy = chosen
        } else if let name = try fields.string("loadBalancingPolicy") {
            guard let policy = LoadBalancingPolicy(configName: name.lowercased()) else {
                throw ServiceConfigError(key: fields.key("loadBalancingPolicy"), message: "unsupported policy \"\(name)\" (pick_first, round_robin)")
            }
            loadBalancingPolicy = policy
        }
    }
}

extension LoadBalancingPolicy {
    init?(configName: String) {
        switch configName {
        case "pick_first": self = .pickFirst
        case "round_robin": self = .roundRobin
        default: return nil
        }
    }
}

extension MethodConfig {
    init(json: JSONValue, at key: String) throws(ServiceConfigError) {
        let fields = try Fields(json, at: key)
        var names: [Name] = []
        for (index, value) in (try fields.array("name") ?? []).enumerated() {
            let nameFields = try Fields(value, at: "\(key).name[\(index)]")
            let name = Name(service: try nameFields.string("service") ?? "", method: try nameFields.string("method") ?? "")
            if name.service.isEmpty, !name.method.isEmpty {
                throw ServiceConfigError(key: "\(key).name[\(index)]", message: "names method \"\(name.method)\" without a service")
            }
            names.append(name)
        }
        self.init(names: names)
        waitForReady = try fields.bool("waitForReady")
        timeout = try fields.duration("timeout")
        if let timeout, timeout <= .zero {
            throw ServiceConfigError(key: key + ".timeout", message: "must be greater than 0, not \(timeout)")
        }
        maxRequestMessageBytes = try fields.size("maxRequestMessageBytes")
        maxResponseMessageBytes = try fields.size("maxResponseMessageBytes")
        if let retry = try fields.object("retryPolicy") {
            let at = key + ".retryPolicy"
            let attempts = try retry.attempts()
            let initial = try retry.positiveDuration("initialBackoff")
            let maximum = try retry.positiveDuration("maxBackoff")
            let multiplier = try retry.required("backoffMultiplier", retry.number)
            guard multiplier > 0 else {
                throw ServiceConfigError(key: at + ".backoffMultiplier", message: "must be greater than 0, not \(JSONValue.number(multiplier).excerpt)")
            }
            let codes = try retry.codes("retryableStatusCodes") ?? []
            guard !codes.isEmpty else {
                throw ServiceConfigError(key: at + ".retryableStatusCodes", message: "must name at least one status code")
            }
            retryPolicy = RetryPolicy(
                maxAttempts: attempts, initialBackoff: initial, maxBackoff: maximum, backoffMultiplier: multiplier, retryableStatusCodes: codes
            )
        }
        if let hedging = try fields.object("hedgingPolicy") {
            if retryPolicy != nil {
                throw ServiceConfigError(key: key + ".hedgingPolicy", message: "a method config has a retryPolicy or a hedgingPolicy, not both")
            }
            let delay = try hedging.duration("hedgingDelay") ?? .zero
            if delay < .zero {
                throw ServiceConfigError(key: key + ".hedgingPolicy.hedgingDelay", message: "must not be negative, not \(delay)")
            }
            hedgingPolicy = HedgingPolicy(
                maxAttempts: try hedging.attempts(), hedgingDelay: delay, nonFatalStatusCodes: try hedging.codes("nonFatalStatusCodes") ?? []
            )
        }
    }
}

/// An object's members, read by key with the key's path kept for errors.
private struct Fields {
    let members: [(key: String, value: JSONValue)]
    let path: String

    init(_ value: JSONValue, at path: String) throws(ServiceConfigError) {
        guard case .object(let members) = value else {
            throw ServiceConfigError(key: path, message: "must be an object, not \(value.excerpt)")
        }
        self.members = members
        self.path = path
    }

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// The member's value; a null counts as absent.
    func value(_ name: String) -> JSONValue? {
        guard let value = members.last(where: { $0.key == name })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    func wrongType(_ name: String, _ value: JSONValue, expected: String) -> ServiceConfigError {
        ServiceConfigError(key: key(name), message: "must be \(expected), not \(value.excerpt)")
    }

    func array(_ name: String) throws(ServiceConfigError) -> [JSONValue]? {
        guard let value = value(name) else { return nil }
        guard case .array(let elements) = value else { throw wrongType(name, value, expected: "an array") }
        return elements
    }

    func object(_ name: String) throws(ServiceConfigError) -> Fields? {
        guard let value = value(name) else { return nil }
        return try Fields(value, at: key(name))
    }

    func string(_ name: String) throws(ServiceConfigError) -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw wrongType(name, value, expected: "a string") }
        return text
    }

    func strings(_ name: String) throws(ServiceConfigError) -> [String]? {
        guard let elements = try array(name) else { return nil }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw ServiceConfigError(key: key(name) + "[\(index)]", message: "must be a string, not \(element.excerpt)")
            }
            result.append(text)
        }
        return result
    }

    func bool(_ name: String) throws(ServiceConfigError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(name, value, expected: "true or false") }
        return flag
    }

    func number(_ name: String) throws(ServiceConfigError) -> Double? {
        guard let value = value(name) else { return nil }
        switch value {
        case .number(let number): return number
        // Protobuf's JSON mapping writes 64-bit integers as strings.
        case .string(let text) where Double(text) != nil: return Double(text)
        default: throw wrongType(name, value, expected: "a number")
        }
    }

    func required<T>(_ name: String, _ read: (String) throws(ServiceConfigError) -> T?) throws(ServiceConfigError) -> T {
        guard let value = try read(name) else {
            throw ServiceConfigError(key: key(name), message: "is required")
        }
        return value
    }

    /// A byte count: a whole number, not negative.
    func size(_ name: String) throws(ServiceConfigError) -> Int? {
        guard let number = try number(name) else { return nil }
        guard number >= 0, number == number.rounded(), number < 9.2e18 else {
            throw wrongType(name, .number(number), expected: "a whole number of bytes")
        }
        return Int(number)
    }

    /// `maxAttempts`: required, greater than 1, capped at 5.
    func attempts() throws(ServiceConfigError) -> Int {
        let number = try required("maxAttempts", self.number)
        guard number > 1, number == number.rounded() else {
            throw wrongType("maxAttempts", .number(number), expected: "a whole number greater than 1")
        }
        return Int(min(number, 5))
    }

    /// A duration in protobuf's JSON form: seconds with up to nine decimals and an `s`, as "0.25s".
    func duration(_ name: String) throws(ServiceConfigError) -> Duration? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value, let duration = Duration(protobufJSON: text) else {
            throw wrongType(name, value, expected: "a duration such as \"1.5s\"")
        }
        return duration
    }

    func positiveDuration(_ name: String) throws(ServiceConfigError) -> Duration {
        let duration = try required(name, self.duration)
        guard duration > .zero else {
            throw ServiceConfigError(key: key(name), message: "must be greater than 0, not \"\(duration)\"")
        }
        return duration
    }

    /// Status codes by name (`"UNAVAILABLE"`) or number (`14`).
    func codes(_ name: String) throws(ServiceConfigError) -> Set<RPCError.Code>? {
        guard let list = try array(name) else { return nil }
        var codes = Set<RPCError.Code>()
        for (index, value) in list.enumerated() {
            let code: RPCError.Code?
            switch value {
            case .string(let text): code = RPCError.Code(name: text.uppercased())
            case .number(let number) where number >= 0 && number <= 16 && number == number.rounded(): code = RPCError.Code(rawValue: Int(number))
            default: code = nil
            }
            guard let code, code != .ok else {
                throw ServiceConfigError(key: "\(key(name))[\(index)]", message: "\(value.excerpt) is not a status code other than OK")
            }
            codes.insert(code)
        }
        return codes
    }
}

extension RPCError.Code {
    /// The code of a canonical name such as `UNAVAILABLE`.
    init?(name: String) {
        for raw in 0...16 where RPCError.Code(rawValue: raw).description == name {
            self.init(rawValue: raw)
            return
        }
        return nil
    }
}

extension Duration {
    /// Parses protobuf's JSON duration: `"3s"`, `"0.100s"`, `"-1.5s"`.
    init?(protobufJSON text: String) {
        guard text.hasSuffix("s") else { return nil }
        var number = text.dropLast()
        let negative = number.hasPrefix("-")
        if negative { number = number.dropFirst() }
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), let seconds = Int64(whole) else { return nil }
        var nanos: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 9, fraction.allSatisfy(\.isASCIIDigit), let value = Int64(fraction) else { return nil }
            nanos = value
            for _ in fraction.count..<9 { nanos *= 10 }
        }
        let duration = Duration.seconds(seconds) + .nanoseconds(nanos)
        self = negative ? .zero - duration : duration
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

// MARK: Finding a call's config

/// A service config ready for calls: its method configs indexed and its throttle, built once
/// per config (the channel's own, or each one its resolver finds).
final class ServiceConfigInUse: Sendable {
    let config: ServiceConfig
    let methodConfigs: MethodConfigTable
    let retryThrottle: RetryThrottle?

    init(_ config: ServiceConfig) {
        self.config = config
        methodConfigs = MethodConfigTable(config.methodConfigs)
        retryThrottle = config.retryThrottling.map(RetryThrottle.init)
    }
}

/// A service config's method configs indexed by what they name, built once per channel so that
/// a call finds its config with at most three dictionary lookups, and none without configs.
struct MethodConfigTable: Sendable {
    private var byMethod: [String: MethodConfig] = [:]
    private var byService: [String: MethodConfig] = [:]
    private var fallback: MethodConfig?
    /// No configs at all: calls skip the lookups.
    let isEmpty: Bool

    init(_ configs: [MethodConfig]) {
        isEmpty = configs.isEmpty
        for config in configs {
            for name in config.names {
                if name.service.isEmpty {
                    if fallback == nil { fallback = config }
                } else if name.method.isEmpty {
                    if byService[name.service] == nil { byService[name.service] = config }
                } else {
                    let path = "/\(name.service)/\(name.method)"
                    if byMethod[path] == nil { byMethod[path] = config }
                }
            }
        }
    }

    func config(for method: RPCMethod) -> MethodConfig? {
        if isEmpty { return nil }
        return byMethod[method.path] ?? byService[String(method.service)] ?? fallback
    }
}
