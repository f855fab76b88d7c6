// The generator's Swift skeletons, embedded in the binary at build time.
// The `.mustache` files beside this one are the source; nothing is read from disk at run time.

/// The template texts, by name.
public enum Templates {
    public static let file = String(decoding: PackageResources.file_mustache, as: UTF8.self)
    public static let message = String(decoding: PackageResources.message_mustache, as: UTF8.self)
    public static let `enum` = String(decoding: PackageResources.enum_mustache, as: UTF8.self)
    public static let coding = String(decoding: PackageResources.coding_mustache, as: UTF8.self)
    public static let service = String(decoding: PackageResources.service_mustache, as: UTF8.self)
    public static let servicesFile = String(decoding: PackageResources.services_file_mustache, as: UTF8.self)
}
