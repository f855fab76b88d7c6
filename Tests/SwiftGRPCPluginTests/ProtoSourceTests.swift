import Testing

@Suite("Build plugin: reading .proto files")
struct ProtoSourceTests {
    @Test func findsServicesAtTheTopLevelOnly() {
        let withService = ProtoSource(scanning: """
            syntax = "proto3";
            package a.b;
            message Request { string service = 1; }
            service Lookup { rpc Find(Request) returns (Request); }
            """)
        #expect(withService.declaresServices)

        // A field, a type or an option called `service`, and a service in a comment or a
        // string, declare nothing.
        let without = ProtoSource(scanning: """
            syntax = "proto3";
            // service Commented { }
            /* service Blocked {
               } */
            message service { string service = 1; }
            message Holder { service service = 1; string note = 2 [json_name = "service Quoted {"]; }
            """)
        #expect(!without.declaresServices)
    }

    @Test func readsImportsWithTheirModifiers() {
        let source = ProtoSource(scanning: """
            syntax = "proto3";
            import "google/protobuf/timestamp.proto";
            import public "shared/common.proto";
            import weak 'legacy.proto';
            // import "commented.proto";
            message M { string path = 1 [default = "import \\"x.proto\\""]; }
            """)
        #expect(source.imports == ["google/protobuf/timestamp.proto", "shared/common.proto", "legacy.proto"])
    }
}
