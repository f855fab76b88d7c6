import GRPCRuntime
import Testing

@Suite struct ServiceConfigTests {
    @Test func aFullConfigIsRead() throws {
        let config = try ServiceConfig(json: """
            {
              "loadBalancingConfig": [{"weighted_target_experimental": {}}, {"pick_first": {}}],
              "methodConfig": [
                {"name": [{"service": "search.Search", "method": "Search"}, {"service": "search.Search", "method": "Monitor"}],
                 "waitForReady": true, "timeout": "1.5s", "maxRequestMessageBytes": 1024, "maxResponseMessageBytes": "2048",
                 "retryPolicy": {"maxAttempts": 7, "initialBackoff": "0.1s", "maxBackoff": "2s", "backoffMultiplier": 1.5,
                                 "retryableStatusCodes": ["UNAVAILABLE", 4, "resource_exhausted"]}},
                {"name": [{"service": "other.Service"}],
                 "hedgingPolicy": {"maxAttempts": 3, "hedgingDelay": "0.050s", "nonFatalStatusCodes": ["UNAVAILABLE"]}},
                {"name": [{}], "timeout": "30s", "unknownKey": [1, 2]}
              ],
              "retryThrottling": {"maxTokens": 10, "tokenRatio": 0.12345}
            }
            """)
        #expect(config.loadBalancingPolicy == .pickFirst)
        #expect(config.retryThrottling == RetryThrottling(maxTokens: 10, tokenRatio: 0.123))
        #expect(config.methodConfigs.count == 3)
        let first = config.methodConfigs[0]
        #expect(first.names == [.init(service: "search.Search", method: "Search"), .init(service: "search.Search", method: "Monitor")])
        #expect(first.waitForReady == true)
        #expect(first.timeout == .milliseconds(1500))
        #expect(first.maxRequestMessageBytes == 1024)
        #expect(first.maxResponseMessageBytes == 2048)
        #expect(first.retryPolicy == RetryPolicy(
            maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .seconds(2), backoffMultiplier: 1.5,
            retryableStatusCodes: [.unavailable, .deadlineExceeded, .resourceExhausted]
        ))
        #expect(config.methodConfigs[1].hedgingPolicy == HedgingPolicy(maxAttempts: 3, hedgingDelay: .milliseconds(50), nonFatalStatusCodes: [.unavailable]))
        #expect(config.methodConfigs[2].names == [.init()])
        #expect(config.methodConfigs[2].timeout == .seconds(30))
    }

    @Test func theDeprecatedPolicyNameIsRead() throws {
        #expect(try ServiceConfig(json: #"{"loadBalancingPolicy": "ROUND_ROBIN"}"#).loadBalancingPolicy == .roundRobin)
        #expect(try ServiceConfig(json: "{}").methodConfigs.isEmpty)
    }

    static let retry = #""initialBackoff": "0.1s", "maxBackoff": "1s", "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]"#

    /// Each bad config with the key its error must name and a part of its message.
    static let invalid: [(json: String, key: String, message: String)] = [
        (#"{"methodConfig": [{"retryPolicy": {"maxAttempts": 1, \#(retry)}}]}"#, "methodConfig[0].retryPolicy.maxAttempts", "greater than 1, not 1"),
        (#"{"methodConfig": [{"retryPolicy": {\#(retry)}}]}"#, "methodConfig[0].retryPolicy.maxAttempts", "is required"),
        (#"{"methodConfig": [{"retryPolicy": {"maxAttempts": 3, "initialBackoff": "0s", "maxBackoff": "1s", "backoffMultiplier": 2, "retryableStatusCodes": [14]}}]}"#,
         "methodConfig[0].retryPolicy.initialBackoff", "greater than 0"),
        (#"{"methodConfig": [{"retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.1", "maxBackoff": "1s", "backoffMultiplier": 2, "retryableStatusCodes": [14]}}]}"#,
         "methodConfig[0].retryPolicy.initialBackoff", "not \"0.1\""),
        (#"{"methodConfig": [{"retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.1s", "maxBackoff": "1s", "backoffMultiplier": 0, "retryableStatusCodes": [14]}}]}"#,
         "methodConfig[0].retryPolicy.backoffMultiplier", "greater than 0, not 0"),
        (#"{"methodConfig": [{"retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.1s", "maxBackoff": "1s", "backoffMultiplier": 2, "retryableStatusCodes": []}}]}"#,
         "methodConfig[0].retryPolicy.retryableStatusCodes", "at least one"),
        (#"{"methodConfig": [{"retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.1s", "maxBackoff": "1s", "backoffMultiplier": 2, "retryableStatusCodes": ["SOMETIMES"]}}]}"#,
         "methodConfig[0].retryPolicy.retryableStatusCodes[0]", "\"SOMETIMES\" is not a status code"),
        (#"{"methodConfig": [{}, {"retryPolicy": {"maxAttempts": 2, \#(retry)}, "hedgingPolicy": {"maxAttempts": 2}}]}"#,
         "methodConfig[1].hedgingPolicy", "not both"),
        (#"{"methodConfig": [{"name": [{"method": "Search"}]}]}"#, "methodConfig[0].name[0]", "without a service"),
        (#"{"methodConfig": [{"name": [{"service": "a.B"}]}, {"name": [{"service": "a.B"}]}]}"#, "methodConfig[1].name[0]", "earlier method config"),
        (#"{"methodConfig": [{"timeout": 5}]}"#, "methodConfig[0].timeout", "not 5"),
        (#"{"methodConfig": [{"waitForReady": "yes"}]}"#, "methodConfig[0].waitForReady", "not \"yes\""),
        (#"{"methodConfig": {}}"#, "methodConfig", "must be an array"),
        (#"{"retryThrottling": {"maxTokens": 1001, "tokenRatio": 1}}"#, "retryThrottling.maxTokens", "1...1000, not 1001"),
        (#"{"retryThrottling": {"maxTokens": 10, "tokenRatio": -1}}"#, "retryThrottling.tokenRatio", "greater than 0, not -1"),
        (#"{"loadBalancingConfig": [{"grpclb": {}}]}"#, "loadBalancingConfig", "no supported policy"),
        (#"{"methodConfig": [}"#, "", "at byte 18"),
    ]

    @Test(arguments: 0..<invalid.count)
    func anInvalidConfigNamesTheKeyAndValue(_ index: Int) {
        let (json, key, message) = Self.invalid[index]
        #expect {
            try ServiceConfig(json: json)
        } throws: { error in
            guard let error = error as? ServiceConfigError else { return false }
            return error.key == key && error.message.contains(message)
        }
    }

    static let choices = #"""
        grpc_config=[
          {"clientLanguage": ["go", "python"], "serviceConfig": {"methodConfig": [{"name": [{"service": "go"}], "timeout": "1s"}]}},
          {"clientHostname": ["elsewhere"], "serviceConfig": {"methodConfig": [{"name": [{"service": "host"}], "timeout": "1s"}]}},
          {"clientLanguage": ["Swift"], "percentage": 30, "serviceConfig": {"methodConfig": [{"name": [{"service": "thirty"}], "timeout": "1s"}]}},
          {"serviceConfig": {"methodConfig": [{"name": [{"service": "rest"}], "timeout": "1s"}]}}
        ]
        """#

    /// The service a config's first method config names.
    static func chosen(_ config: ServiceConfig?) -> String? { config?.methodConfigs.first?.names.first?.service }

    @Test func theFirstChoiceThatAppliesToThisClientIsTaken() throws {
        let records = ["v=spf1 -all", Self.choices]
        #expect(Self.chosen(try ServiceConfig.fromDNSTXT(records, hostname: "here", roll: 29)) == "thirty")
        #expect(Self.chosen(try ServiceConfig.fromDNSTXT(records, hostname: "here", roll: 30)) == "rest")
        #expect(Self.chosen(try ServiceConfig.fromDNSTXT(records, hostname: "elsewhere", roll: 99)) == "host")
        #expect(try ServiceConfig.fromDNSTXT(["v=spf1 -all"], hostname: "here") == nil)
        #expect(try ServiceConfig.fromDNSTXT([#"grpc_config=[{"clientLanguage": ["go"], "serviceConfig": {}}]"#], hostname: "here") == nil)
    }

    @Test(arguments: [
        (#"grpc_config={"serviceConfig": {}}"#, "", "JSON array"),
        (#"grpc_config=[{"serviceConfig": {}, "clientVersion": "1"}]"#, "[0].clientVersion", "not a key"),
        (#"grpc_config=[{"serviceConfig": {}}, {"percentage": 50}]"#, "[1].serviceConfig", "is required"),
        (#"grpc_config=[{"percentage": 101, "serviceConfig": {}}]"#, "[0].percentage", "0...100"),
        (#"grpc_config=[{"serviceConfig": {"methodConfig": [{"timeout": 5}]}}]"#, "[0].serviceConfig.methodConfig[0].timeout", "not 5"),
    ])
    func aBadRecordNamesTheKey(record: String, key: String, message: String) {
        #expect {
            try ServiceConfig.fromDNSTXT([record], hostname: "here", roll: 0)
        } throws: { error in
            guard let error = error as? ServiceConfigError else { return false }
            return error.key == key && error.message.contains(message)
        }
    }
}
