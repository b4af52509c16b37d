import Foundation

/// Field checks on objects decoded by `JSONSerialization`.
enum JSONFields {
    /// Whether `key` holds a value: JSON `null` decodes to `NSNull`, which is not nil, so a
    /// plain `object[key] != nil` would call a null field present.
    static func isPresent(_ key: String, in object: [String: Any]) -> Bool {
        guard let value = object[key] else { return false }
        return !(value is NSNull)
    }
}
