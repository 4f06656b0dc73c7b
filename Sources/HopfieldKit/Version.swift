/// hopsim's version, written into every record. Bump with every release that can change numbers.
public enum HopsimVersion {
    public static let string = "0.2.0"
}
