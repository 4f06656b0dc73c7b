import Foundation
import HopfieldKit
import Synchronization
import XCTest

final class CheckpointTests: XCTestCase {
    /// A run stopped in the middle of its samples, then resumed from the checkpoints, gives exactly
    /// the numbers of an uninterrupted run — for every stopping point tried, including during
    /// thermalization and after some samples finished.
    func testResumedRunIsBitIdenticalToUninterruptedRun() throws {
        let p = MonteCarloParameters(neurons: 120, patterns: 12, temperature: 0.4, order: .random, thermalization: 30,
                                     sweeps: 200, measureEvery: 3, samples: 3, replicas: 2, seed: 21)
        let reference = try MonteCarloRun.run(p, threads: 2)
        for stopAfter in [10, 100, 400] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-ckpt-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let store = FileCheckpointStore(directory: dir)
            let polls = Atomic<Int>(0)
            let stopping = RunControl(shouldStop: { polls.wrappingAdd(1, ordering: .relaxed).newValue > stopAfter }, store: store)
            XCTAssertThrowsError(try MonteCarloRun.run(p, threads: 1, control: stopping)) { error in
                XCTAssertTrue(error is MonteCarloRun.Interrupted)
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            XCTAssertTrue(files.contains { $0.hasSuffix(".state.json") }, "no state saved when stopped after \(stopAfter) polls: \(files)")
            let resumed = try MonteCarloRun.run(p, threads: 2, control: RunControl(store: store))
            XCTAssertEqual(resumed, reference, "stopped after \(stopAfter) polls")
        }
    }

    /// A stored state or finished sample from other parameters is not used (the run starts that
    /// sample afresh).
    func testStateOfOtherParametersIsIgnored() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-ckpt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var p = MonteCarloParameters(neurons: 80, patterns: 8, temperature: 0.5, thermalization: 10, sweeps: 60,
                                     samples: 1, replicas: 2, seed: 4)
        let store = FileCheckpointStore(directory: dir)
        let polls = Atomic<Int>(0)
        _ = try? MonteCarloRun.run(p, threads: 1, control: RunControl(shouldStop: { polls.wrappingAdd(1, ordering: .relaxed).newValue > 20 }, store: store))
        p.temperature = 0.6
        XCTAssertEqual(try MonteCarloRun.run(p, threads: 1, control: RunControl(store: store)),
                       try MonteCarloRun.run(p, threads: 1))
        // Now every sample of T = 0.6 is stored as finished; T = 0.7 must not reuse them.
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.hasSuffix(".done.json") })
        p.temperature = 0.7
        XCTAssertEqual(try MonteCarloRun.run(p, threads: 1, control: RunControl(store: store)),
                       try MonteCarloRun.run(p, threads: 1))
    }

    /// The checkpoint interval is timed from the end of the last save: with the interval set to 20
    /// sweeps' time (τ, measured by a run without checkpoints in the same process, so that the test
    /// holds in debug and release builds alike) and saves twice as slow as the interval, a run of
    /// 1000 sweeps saves about once per 20 sweeps (~50 times); timed from before the save, every
    /// sweep after the first save would save (~1000 saves).
    func testSlowSavesDoNotSaveEverySweep() throws {
        final class SlowStore: SampleCheckpointStore, @unchecked Sendable {
            let saves = Atomic<Int>(0)
            let delay: useconds_t
            init(delay: useconds_t) { self.delay = delay }
            func finishedSample(_ sample: Int, parameters: MonteCarloParameters) -> MonteCarloRun.SampleOutcome? { nil }
            func saveFinishedSample(_ sample: Int, parameters: MonteCarloParameters, _ outcome: MonteCarloRun.SampleOutcome) {}
            func sampleState(_ sample: Int) -> SampleState? { nil }
            func saveSampleState(_ sample: Int, _ state: SampleState) {
                saves.wrappingAdd(1, ordering: .relaxed)
                usleep(delay)
            }
        }
        let p = MonteCarloParameters(neurons: 4000, patterns: 400, temperature: 0.5, thermalization: 0, sweeps: 1000,
                                     measureEvery: 1000, samples: 1, replicas: 1, seed: 3)
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try MonteCarloRun.run(p, threads: 1)
        let tau = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 / Double(p.sweeps)
        let interval = 20 * tau
        let store = SlowStore(delay: useconds_t(2 * interval * 1e6))
        _ = try MonteCarloRun.run(p, threads: 1, control: RunControl(store: store, checkpointInterval: interval))
        let saves = store.saves.load(ordering: .relaxed)
        XCTAssertGreaterThan(saves, 0)
        XCTAssertLessThan(saves, p.sweeps / 5, "\(saves) saves in \(p.sweeps) sweeps (τ = \(tau) s)")
    }
}
