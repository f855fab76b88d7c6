// The generator's Swift skeletons, embedded in the binary at build time.
// The `.mustache` files beside this one are the source; nothing is read from disk at run time.

/// The template texts by name (the file name without `.mustache`), partials included.
public enum Templates {
    public static let all: [String: String] = [
        "client-method": String(decoding: PackageResources.client_method_mustache, as: UTF8.self),
        "enum": String(decoding: PackageResources.enum_mustache, as: UTF8.self),
        "extensions": String(decoding: PackageResources.extensions_mustache, as: UTF8.self),
        "field-declaration": String(decoding: PackageResources.field_declaration_mustache, as: UTF8.self),
        "field-decode": String(decoding: PackageResources.field_decode_mustache, as: UTF8.self),
        "field-encode": String(decoding: PackageResources.field_encode_mustache, as: UTF8.self),
        "field-size": String(decoding: PackageResources.field_size_mustache, as: UTF8.self),
        "field-visit": String(decoding: PackageResources.field_visit_mustache, as: UTF8.self),
        "field-read": String(decoding: PackageResources.field_read_mustache, as: UTF8.self),
        "message-fields": String(decoding: PackageResources.message_fields_mustache, as: UTF8.self),
        "file": String(decoding: PackageResources.file_mustache, as: UTF8.self),
        "is-set": String(decoding: PackageResources.is_set_mustache, as: UTF8.self),
        "message": String(decoding: PackageResources.message_mustache, as: UTF8.self),
        "message-coding": String(decoding: PackageResources.message_coding_mustache, as: UTF8.self),
        "oneof-decode": String(decoding: PackageResources.oneof_decode_mustache, as: UTF8.self),
        "read-value": String(decoding: PackageResources.read_value_mustache, as: UTF8.self),
        "required-fields": String(decoding: PackageResources.required_fields_mustache, as: UTF8.self),
        "service": String(decoding: PackageResources.service_mustache, as: UTF8.self),
        "services-file": String(decoding: PackageResources.services_file_mustache, as: UTF8.self),
    ]
}
