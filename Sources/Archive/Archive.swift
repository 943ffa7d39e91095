import CSystemZlib
public enum ArchiveModule { public static var zlibRuntimeVersion: String { String(cString: CSystemZlib.zlibVersion()) } }
