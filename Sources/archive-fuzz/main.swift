import ArchiveFuzzHarness
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer entry point for the archive reader. Built only with CBDUMP_FUZZ=1 and
// -sanitize=fuzzer (libFuzzer supplies main); see scripts/fuzz-archive.sh.

let scratch = "/dev/shm/archive-fuzz-\(getpid()).dump"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    FuzzHarness.run(bytes, scratchPath: scratch)
    return 0
}

// SwiftPM links an executable target with `main` defined as `<module>_main`; hand that to
// libFuzzer's driver (the same thing libFuzzer's own main does).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("archive_fuzz_main")
func archiveFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}
