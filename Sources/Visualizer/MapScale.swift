/// How a map of `mapWidth x mapHeight` pixels is drawn: whole-cell upscaling or
/// integer downsampling (two pixels per cell vertically).
public struct MapScale: Equatable, Sendable {
    /// Each pixel becomes `upscale x upscale` pixels (1 when downsampling).
    public let upscale: Int
    /// Each displayed pixel pools `downscale x downscale` map pixels (1 when upscaling).
    public let downscale: Int
    /// Displayed pixels.
    public let width: Int, height: Int
    /// The map unit at the top-left displayed pixel (non-zero only in the 1:1 zoom).
    public var originX = 0, originY = 0

    /// Cells the map occupies: one column per pixel, two pixel rows per cell row.
    public var columns: Int { width }
    /// Two pixel rows per cell row, rounded up.
    public var rows: Int { (height + 1) / 2 }

    /// Magnification (> 1 upscaled, < 1 downsampled); layouts compare it.
    public var magnification: Double { Double(upscale) / Double(downscale) }

    /// The 1:1 zoom: one unit per pixel, as much of the map as `columns x rows` cells show.
    public static func window(mapWidth: Int, mapHeight: Int, columns: Int, rows: Int) -> MapScale? {
        guard columns >= 1, rows >= 1, mapWidth >= 1, mapHeight >= 1 else { return nil }
        return MapScale(upscale: 1, downscale: 1, width: min(mapWidth, columns), height: min(mapHeight, 2 * rows))
    }

    /// Whether the map is larger than the shown window (only in the 1:1 zoom).
    public func isWindow(mapWidth: Int, mapHeight: Int) -> Bool {
        upscale == 1 && downscale == 1 && (width < mapWidth || height < mapHeight)
    }

    /// The largest scale that fits `mapWidth x mapHeight` into `columns x rows` cells.
    public static func fit(mapWidth: Int, mapHeight: Int, columns: Int, rows: Int) -> MapScale? {
        guard columns >= 1, rows >= 1, mapWidth >= 1, mapHeight >= 1 else { return nil }
        let pixelRows = 2 * rows
        if mapWidth <= columns && mapHeight <= pixelRows {
            let s = max(1, min(columns / mapWidth, pixelRows / mapHeight))
            return MapScale(upscale: s, downscale: 1, width: mapWidth * s, height: mapHeight * s)
        }
        let f = max((mapWidth + columns - 1) / columns, (mapHeight + pixelRows - 1) / pixelRows)
        return MapScale(upscale: 1, downscale: f, width: (mapWidth + f - 1) / f, height: (mapHeight + f - 1) / f)
    }
}
