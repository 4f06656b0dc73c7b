import CGSL
import Foundation

/// Thin wrappers over GSL's root finders with Swift closures. GSL's aborting error handler is off;
/// every status is checked, and failures come back as `converged == false`.
enum RootFinding {
    final class Box<F> { let f: F; init(_ f: F) { self.f = f } }

    /// Solves F(x) = 0 in n dimensions with `gsl_multiroot_fsolver_hybrids` (Powell's hybrid method
    /// with a finite-difference Jacobian), stopping when max |F| ≤ tolerance, or, not converged, when
    /// `stop(x, F)` says the iteration has shown what the caller needs (checked before every step).
    static func hybrids(start: [Double], tolerance: Double, maxIterations: Int,
                        stop: (([Double], [Double]) -> Bool)? = nil,
                        _ f: @escaping ([Double]) -> [Double]?) -> (x: [Double], status: SolverStatus) {
        GSLErrors.disableAbort()
        let n = start.count
        let box = Box(f)
        var system = gsl_multiroot_function(
            f: { x, params, out in
                let fn = Unmanaged<Box<([Double]) -> [Double]?>>.fromOpaque(params!).takeUnretainedValue().f
                let count = Int(x!.pointee.size)
                let input = (0..<count).map { gsl_vector_get(x, $0) }
                guard let values = fn(input), values.allSatisfy(\.isFinite) else { return Int32(GSL_EDOM) }
                for (i, v) in values.enumerated() { gsl_vector_set(out, i, v) }
                return Int32(GSL_SUCCESS)
            },
            n: n, params: Unmanaged.passUnretained(box).toOpaque())
        let failed = { (x: [Double], it: Int) in
            (x, SolverStatus(converged: false, iterations: it, residual: .infinity, method: "gsl-hybrids"))
        }
        guard let initial = gsl_vector_alloc(n),
              let solver = gsl_multiroot_fsolver_alloc(hopsim_multiroot_fsolver_hybrids(), n) else {
            return failed(start, 0)
        }
        defer { gsl_vector_free(initial); gsl_multiroot_fsolver_free(solver) }
        for i in 0..<n { gsl_vector_set(initial, i, start[i]) }
        guard gsl_multiroot_fsolver_set(solver, &system, initial) == GSL_SUCCESS else { return failed(start, 0) }
        func current() -> ([Double], Double) {
            let x = (0..<n).map { gsl_vector_get(solver.pointee.x, $0) }
            let r = (0..<n).map { abs(gsl_vector_get(solver.pointee.f, $0)) }.max() ?? .infinity
            return (x, r)
        }
        var iterations = 0
        while iterations < maxIterations {
            let (x, r) = current()
            if r <= tolerance {
                return (x, SolverStatus(converged: true, iterations: iterations, residual: r, method: "gsl-hybrids"))
            }
            if let stop, stop(x, (0..<n).map { gsl_vector_get(solver.pointee.f, $0) }) {
                return (x, SolverStatus(converged: false, iterations: iterations, residual: r, method: "gsl-hybrids (stopped)"))
            }
            iterations += 1
            if gsl_multiroot_fsolver_iterate(solver) != GSL_SUCCESS { break }
        }
        let (x, r) = current()
        return (x, SolverStatus(converged: r <= tolerance, iterations: iterations, residual: r, method: "gsl-hybrids"))
    }

    /// Solves f(x) = 0 on a bracket [a, b] with f(a)·f(b) < 0 by `gsl_root_fsolver_brent`, to an
    /// interval width of `xTolerance` (absolute) or 4 ulp relative. nil when there is no sign change.
    static func brent(_ a: Double, _ b: Double, xTolerance: Double, maxIterations: Int = 200,
                      _ f: @escaping (Double) -> Double) -> (x: Double, iterations: Int, converged: Bool)? {
        GSLErrors.disableAbort()
        let fa = f(a), fb = f(b)
        guard fa.isFinite, fb.isFinite else { return nil }
        if fa == 0 { return (a, 0, true) }
        if fb == 0 { return (b, 0, true) }
        guard (fa < 0) != (fb < 0) else { return nil }
        let box = Box(f)
        var function = gsl_function(
            function: { x, params in
                Unmanaged<Box<(Double) -> Double>>.fromOpaque(params!).takeUnretainedValue().f(x)
            },
            params: Unmanaged.passUnretained(box).toOpaque())
        guard let solver = gsl_root_fsolver_alloc(hopsim_root_fsolver_brent()) else { return nil }
        defer { gsl_root_fsolver_free(solver) }
        guard gsl_root_fsolver_set(solver, &function, min(a, b), max(a, b)) == GSL_SUCCESS else { return nil }
        for iteration in 1...maxIterations {
            guard gsl_root_fsolver_iterate(solver) == GSL_SUCCESS else {
                return (gsl_root_fsolver_root(solver), iteration, false)
            }
            let lo = gsl_root_fsolver_x_lower(solver), hi = gsl_root_fsolver_x_upper(solver)
            if gsl_root_test_interval(lo, hi, xTolerance, 4 * Double.ulpOfOne) == GSL_SUCCESS {
                return (gsl_root_fsolver_root(solver), iteration, true)
            }
        }
        return (gsl_root_fsolver_root(solver), maxIterations, false)
    }

    /// det ∂(F₁, F₂)/∂(x, y) at (x, y) by central differences with steps hx and hy (the local
    /// stability test of the RS retrieval roots: det J > 0 on the stable branch).
    static func jacobianDeterminant(x: Double, y: Double, hx: Double, hy: Double,
                                    _ f: (Double, Double) -> (f1: Double, f2: Double)) -> Double {
        let xp = f(x + hx, y), xm = f(x - hx, y)
        let yp = f(x, y + hy), ym = f(x, y - hy)
        let j11 = (xp.f1 - xm.f1) / (2 * hx), j21 = (xp.f2 - xm.f2) / (2 * hx)
        let j12 = (yp.f1 - ym.f1) / (2 * hy), j22 = (yp.f2 - ym.f2) / (2 * hy)
        return j11 * j22 - j12 * j21
    }
}

/// Dense linear algebra of the small systems of branch following, by GSL's LU decomposition with
/// partial pivoting (`gsl_linalg_LU_decomp`, `_solve`, `_det`).
enum LinearAlgebra {
    /// The LU factors of the row-major n × n matrix `a`, handed to `body` (nil on a GSL error).
    private static func withLU<R>(_ a: [[Double]], _ body: (UnsafeMutablePointer<gsl_matrix>, UnsafeMutablePointer<gsl_permutation>, Int32) -> R?) -> R? {
        GSLErrors.disableAbort()
        let n = a.count
        guard n > 0, a.allSatisfy({ $0.count == n }), let m = gsl_matrix_alloc(n, n), let p = gsl_permutation_alloc(n) else { return nil }
        defer { gsl_matrix_free(m); gsl_permutation_free(p) }
        for i in 0..<n { for j in 0..<n { gsl_matrix_set(m, i, j, a[i][j]) } }
        var signum: Int32 = 0
        guard gsl_linalg_LU_decomp(m, p, &signum) == GSL_SUCCESS else { return nil }
        return body(m, p, signum)
    }

    /// x with a·x = b; nil when a is singular or not finite.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        withLU(a) { m, p, _ in
            let n = b.count
            guard let rhs = gsl_vector_alloc(n), let x = gsl_vector_alloc(n) else { return nil }
            defer { gsl_vector_free(rhs); gsl_vector_free(x) }
            for i in 0..<n { gsl_vector_set(rhs, i, b[i]) }
            guard gsl_linalg_LU_solve(m, p, rhs, x) == GSL_SUCCESS else { return nil }
            let result = (0..<n).map { gsl_vector_get(x, $0) }
            return result.allSatisfy(\.isFinite) ? result : nil
        }
    }

    /// det a.
    static func determinant(_ a: [[Double]]) -> Double? {
        withLU(a) { m, _, signum in gsl_linalg_LU_det(m, signum) }
    }
}
