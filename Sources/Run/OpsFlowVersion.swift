/// OpsFlow's own version.
public enum OpsFlowVersion {
    public static let current = "0.1.0"
}
