import Themes

extension Frame {
    /// Draws a rounded box around `rect` with `title` in its top edge, btop style.
    mutating func box(_ rect: Rect, title: String, color: RGB, titleColor: RGB, background: RGB?, glyphs: Glyphs) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let line = Style(foreground: color, background: background)
        let right = rect.x + rect.width - 1, bottom = rect.y + rect.height - 1
        for x in (rect.x + 1)..<right {
            put(glyphs.boxHorizontal, x: x, y: rect.y, style: line)
            put(glyphs.boxHorizontal, x: x, y: bottom, style: line)
        }
        for y in (rect.y + 1)..<bottom {
            put(glyphs.boxVertical, x: rect.x, y: y, style: line)
            put(glyphs.boxVertical, x: right, y: y, style: line)
        }
        put(glyphs.boxTopLeft, x: rect.x, y: rect.y, style: line)
        put(glyphs.boxTopRight, x: right, y: rect.y, style: line)
        put(glyphs.boxBottomLeft, x: rect.x, y: bottom, style: line)
        put(glyphs.boxBottomRight, x: right, y: bottom, style: line)
        guard !title.isEmpty, rect.width > 6 else { return }
        text(" " + Format.clip(title, rect.width - 6) + " ", x: rect.x + 2, y: rect.y,
             style: Style(foreground: titleColor, background: background, bold: true))
    }
}
