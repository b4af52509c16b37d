extension Sequence where Element: Hashable {
    /// The elements in order, each once (the first of equal ones kept): a title's wordings,
    /// a stats run's repeated sizes or presets.
    public func distinctInOrder() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
