/// The help overlay: every key, in as many columns as the terminal allows; when they do not
/// all fit, pages with a visible "more" marker (`?` shows the next page, then closes).
public struct HelpOverlay: Sendable, Equatable {
    /// One line per key binding: the keys, then what they do.
    public let entries: [String]
    /// Columns of entries side by side.
    public let columns: Int
    /// Entry rows per page.
    public let rowsPerPage: Int
    /// Pages needed to show every key (1 when all fit).
    public let pageCount: Int
    /// Width of one entry column (entries are padded to it).
    public let columnWidth: Int

    static let gap = 3

    /// The overlay for a `width x height` terminal.
    public init(width: Int, height: Int) {
        let entries = KeyBindings.all.map { $0.label.padding(to: 9) + $0.help }
        self.entries = entries
        let longest = entries.map(\.count).max() ?? 1
        columnWidth = longest
        // Inside the box: two columns of padding each side, one row of border each side, a title row.
        let innerWidth = max(1, width - 4)
        let fitColumns = max(1, (innerWidth + HelpOverlay.gap) / (longest + HelpOverlay.gap))
        let innerRows = max(1, height - 3)
        if fitColumns * innerRows >= entries.count {
            columns = min(fitColumns, entries.count)
            rowsPerPage = (entries.count + columns - 1) / columns
            pageCount = 1
        } else {
            // One row goes to the "more" marker.
            columns = fitColumns
            rowsPerPage = max(1, innerRows - 1)
            let perPage = columns * rowsPerPage
            pageCount = (entries.count + perPage - 1) / perPage
        }
    }

    /// The page shown for a requested `page`: a terminal resized after paging may have fewer
    /// pages than the one open (page 3 of 3 at 40x20 is page 1 of 1 at 100x30), so the last.
    public func shownPage(_ page: Int) -> Int { min(max(0, page), pageCount - 1) }

    /// The entries of page `page`, column by column.
    public func page(_ page: Int) -> [[String]] {
        let perPage = columns * rowsPerPage
        let start = min(entries.count, max(0, page) * perPage)
        let slice = Array(entries[start..<min(entries.count, start + perPage)])
        return stride(from: 0, to: slice.count, by: rowsPerPage).map { Array(slice[$0..<min(slice.count, $0 + rowsPerPage)]) }
    }

    /// The marker under each page of a paged help: the next page's key, or on the last how to
    /// close it (which also keeps every page's box the same height). Nil when one page holds all.
    public func moreMarker(page: Int) -> String? {
        guard pageCount > 1 else { return nil }
        guard page + 1 < pageCount else { return "-- ? or Esc closes --" }
        return "-- more: ? for page \(page + 2)/\(pageCount) --"
    }

    /// Draws page `page` centred on `frame`, outlined with `+`, `-` and `|` when `outlined`:
    /// without colour, reverse video is lost and a blank box let the panels beside it run
    /// into its text. Outlined, the rest of the box's rows is cleared too: cut panel text and
    /// borders beside the box read as part of it.
    public func draw(page requested: Int, on frame: inout Frame, outlined: Bool = false) {
        // A page kept from a smaller terminal drew an empty box (round 24).
        let page = shownPage(requested)
        let columnsOnPage = self.page(page)
        let marker = moreMarker(page: page)
        // One page has no marker row: its title says how to close it (round 23).
        let title = pageCount > 1 ? "keys (page \(page + 1)/\(pageCount))" : "keys (? or Esc closes)"
        let contentWidth = max(columnsOnPage.count * columnWidth + max(0, columnsOnPage.count - 1) * HelpOverlay.gap,
                               title.count, marker?.count ?? 0)
        let boxWidth = min(frame.width, contentWidth + 4)
        let boxHeight = min(frame.height, rowsPerPage + 3 + (marker == nil ? 0 : 1))
        let x = max(0, (frame.width - boxWidth) / 2), y = max(0, (frame.height - boxHeight) / 2)
        for row in y..<(y + boxHeight) {
            if outlined { for column in 0..<frame.width { frame[column, row] = Cell(" ") } }
            for column in x..<(x + boxWidth) { frame[column, row] = Cell(" ", attributes: .reverse) }
        }
        let limit = boxWidth - 4
        frame.put(title, x: x + 2, y: y + 1, attributes: [.reverse, .bold], maxWidth: limit)
        for (c, entries) in columnsOnPage.enumerated() {
            for (r, entry) in entries.enumerated() {
                frame.put(entry, x: x + 2 + c * (columnWidth + HelpOverlay.gap), y: y + 2 + r, attributes: .reverse,
                          maxWidth: max(0, limit - c * (columnWidth + HelpOverlay.gap)))
            }
        }
        if let marker { frame.put(marker, x: x + 2, y: y + 2 + rowsPerPage, attributes: [.reverse, .bold], maxWidth: limit) }
        guard outlined, boxWidth >= 2, boxHeight >= 2 else { return }
        // The box's outermost ring holds no text: the content starts two columns and one row in.
        let right = x + boxWidth - 1, bottom = y + boxHeight - 1
        for column in x...right {
            let glyph: Character = column == x || column == right ? "+" : "-"
            frame[column, y] = Cell(glyph)
            frame[column, bottom] = Cell(glyph)
        }
        for row in (y + 1)..<bottom {
            frame[x, row] = Cell("|")
            frame[right, row] = Cell("|")
        }
    }
}
