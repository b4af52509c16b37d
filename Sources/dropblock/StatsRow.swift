import DropBlock

/// One row of `dropblock stats`: a study, and the other `--from` arrays of its map size.
///
/// A row's numbers depend on the map size, never on an array's channels or values, so the
/// arrays of one size share one row (round 20: a 12-layer export gave each stage's rows
/// three to six times over, identical).
struct StatsRow {
    /// The numbers; its `stage` names the first array of the size.
    let study: DropRateStudy
    /// The file's other arrays of this map size, in file order (empty for `--size` and `--network` rows).
    let sameSize: [String]
}
