/// Logical operations on truth values (comparison results), and the NaN and infinity tests.
///
/// Every value is a float64, so these take 0 as false and anything else (NaN included) as true,
/// as NumPy's `logical_and`, `logical_or` and `logical_not` do, and give 1 or 0: on comparison
/// results they are NumPy's `&`, `|` and `~` on boolean arrays.
extension BlockArray {
    /// 1 where both are true.
    public static func & (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.logicalAnd, l, r) }
    /// 1 where either is true.
    public static func | (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.logicalOr, l, r) }
    /// 1 where the value is false (0).
    public static prefix func ~ (x: BlockArray) -> BlockArray { x.apply(.logicalNot) }

    /// 1 where the value is NaN.
    public func isNaN() -> BlockArray { apply(.isnan) }
    /// 1 where the value is neither NaN nor an infinity.
    public func isFinite() -> BlockArray { apply(.isfinite) }
}
