// swift-tools-version:6.0
// hopsim — a statistical-mechanics simulator for associative memories.
import PackageDescription
import Foundation

// MARK: - Code generation for the hot loops
//
// The Monte Carlo kernel (an Int8 × Int16 dot product per update) is only fast when the compiler may
// use the machine's vector units. Swift targets baseline x86-64 (SSE2) unless told otherwise, so the
// default here is `-target-cpu native`: build on the machine (or cluster node type) that runs the
// simulation. Set HOPSIM_TARGET_CPU to a named CPU (e.g. `x86-64-v2`-class `haswell`, `znver3`) for a
// binary that runs on a whole heterogeneous cluster, or to `generic` for none.
let targetCPU = ProcessInfo.processInfo.environment["HOPSIM_TARGET_CPU"] ?? "native"

// The bit-packed pattern kernels (Sources/HopfieldKit/Models/PackedKernels.swift) use the vector
// instructions of the target directly: AVX-512 (BW: masked loads with a row word as lane mask) or
// AVX2 (the mask expanded by compare). Which set the target has is read here: from /proc/cpuinfo
// for `native`, from the CPU's name otherwise. A target with neither gets plain bit loops, and the
// Int8 layout is used by default there.
let avx512Names: Set<String> = ["x86-64-v4", "skylake-avx512", "cascadelake", "cooperlake", "cannonlake",
    "icelake-client", "icelake-server", "tigerlake", "rocketlake", "sapphirerapids", "emeraldrapids",
    "graniterapids", "graniterapids-d", "znver4", "znver5"]
let avx2Names: Set<String> = ["x86-64-v3", "haswell", "broadwell", "skylake", "alderlake", "raptorlake",
    "meteorlake", "arrowlake", "lunarlake", "gracemont", "sierraforest", "znver1", "znver2", "znver3", "bdver4"]
func packedInstructionSet(_ cpu: String) -> String? {
    if cpu == "native" {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(flagLine.split(separator: " ").map(String.init))
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl"]) { return "HOPSIM_AVX512" }
        return flags.contains("avx2") ? "HOPSIM_AVX2" : nil
    }
    if avx512Names.contains(cpu) { return "HOPSIM_AVX512" }
    return avx2Names.contains(cpu) ? "HOPSIM_AVX2" : nil
}
let hotLoopSettings: [SwiftSetting] = (targetCPU == "generic" ? [] : [
    .unsafeFlags(["-target-cpu", targetCPU]),
] + (packedInstructionSet(targetCPU).map { [.define($0)] } ?? [])) + [
    // Loops start on a 64-byte boundary, so the kernel's speed does not depend on where unrelated
    // code moves it (measured: the same sweep machine code ran 30.0 or 27.5 × 10⁹ updates/s
    // depending on its offset within a cache line).
    .unsafeFlags(["-Xllvm", "-align-loops=64"]),
]

let package = Package(
    name: "hopsim",
    platforms: [.macOS(.v15)],
    // MARK: - Public API
    products: [
        .library(name: "HopfieldKit", targets: ["HopfieldKit"]),
        .executable(name: "hopsim", targets: ["hopsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Grid specs are YAML (a superset of JSON); Yams gives every node its line for error messages.
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        // MARK: - Implementation details
        /// GSL and OpenBLAS, through one system-library module (see Sources/CGSL/README.md).
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev", "libopenblas-dev"])]
        ),
        /// zlib, for gzip-compressed datasets (IDX files as MNIST ships them, the digits CSV).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        /// glibc's vector math library (libmvec: vector tanh, exp, expm1, log1p, log, erfc for the parallel Plefka sweeps and the 1RSB averages), part of
        /// libc6-dev (see Sources/CMathVector/shim.h).
        .systemLibrary(name: "CMathVector"),
        /// The physics: models, Monte Carlo, statistics, theory, records. Knows nothing of the CLI.
        .target(
            name: "HopfieldKit",
            dependencies: ["CGSL", "CZlib", "CMathVector", .product(name: "Yams", package: "Yams")],
            swiftSettings: hotLoopSettings,
            linkerSettings: [.linkedLibrary("mvec", .when(platforms: [.linux]))],
            plugins: ["BuildInfo"]
        ),
        /// Writes BuildInfo.swift (git commit, code-generation flags) for the records' provenance.
        .plugin(name: "BuildInfo", capability: .buildTool()),
        /// The command line: parses, calls HopfieldKit, prints.
        .executableTarget(
            name: "hopsim",
            dependencies: [
                "HopfieldKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: - Tests
        /// Test oracles: exact enumeration of small networks and significance tests (not library API).
        .target(
            name: "HopfieldKitTestSupport",
            dependencies: ["HopfieldKit", "CGSL"],
            path: "Tests/HopfieldKitTestSupport"
        ),
        .testTarget(name: "HopfieldKitTests", dependencies: ["HopfieldKit", "HopfieldKitTestSupport"]),
        .testTarget(name: "hopsimTests", dependencies: ["hopsim"]),
    ]
)
