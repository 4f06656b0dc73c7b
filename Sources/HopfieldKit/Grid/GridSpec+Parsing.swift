import Foundation
import Yams

extension GridSpec {
    /// Reads and validates a spec file.
    public static func load(path: String) throws(GridSpecError) -> GridSpec {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw GridSpecError(file: path, line: nil, key: "(file)", message: "cannot be read as UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses and validates a spec; `file` names it in errors.
    public static func parse(_ text: String, file: String = "spec") throws(GridSpecError) -> GridSpec {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw GridSpecError(file: file, line: nil, key: "(syntax)",
                                message: "\(error)".split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        guard let root, let top = root.mapping else {
            throw GridSpecError(file: file, line: root?.mark?.line, key: "(top level)", message: "must be a mapping of keys to values")
        }
        var reader = SpecReader(file: file)
        return try reader.read(top)
    }
}

/// Walks the YAML tree, converting and range-checking every value, and rejecting unknown keys.
struct SpecReader {
    let file: String

    func fail(_ node: Node?, _ key: String, _ message: String) -> GridSpecError {
        GridSpecError(file: file, line: node?.mark?.line, key: key, message: message)
    }

    func entries(_ mapping: Node.Mapping, _ prefix: String, allowed: [String]) throws(GridSpecError) -> [String: Node] {
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw fail(keyNode, prefix, "keys must be strings") }
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            guard allowed.contains(key) else {
                throw fail(keyNode, path, "unknown key; allowed here: \(allowed.joined(separator: ", "))")
            }
            guard result[key] == nil else { throw fail(keyNode, path, "given twice") }
            result[key] = value
        }
        return result
    }

    /// An integer checked against its ``ParameterLimit``; the error names the spec key.
    func integer(_ node: Node, _ limit: ParameterLimit<Int>) throws(GridSpecError) -> Int {
        let key = limit.key.specKey ?? limit.key.rawValue
        guard let s = node.scalar?.string, let v = Int(s) else { throw fail(node, key, "must be \(limit.allowed)") }
        do { return try limit.check(v) } catch { throw fail(node, key, error.message) }
    }

    /// A number checked against its ``ParameterLimit``; the error names the spec key.
    func number(_ node: Node, _ limit: ParameterLimit<Double>) throws(GridSpecError) -> Double {
        let key = limit.key.specKey ?? limit.key.rawValue
        guard let s = node.scalar?.string, let v = Double(s), v.isFinite else { throw fail(node, key, "must be \(limit.allowed)") }
        guard (try? limit.check(v)) != nil else { throw fail(node, key, "must be \(limit.allowed) (got \(s))") }
        return v
    }

    func integer(_ node: Node, _ key: String, in range: ClosedRange<Int>) throws(GridSpecError) -> Int {
        guard let s = node.scalar?.string, let v = Int(s) else { throw fail(node, key, "must be an integer in [\(range.lowerBound), \(range.upperBound)]") }
        guard range.contains(v) else { throw fail(node, key, "must be an integer in [\(range.lowerBound), \(range.upperBound)] (got \(v))") }
        return v
    }

    func number(_ node: Node, _ key: String, allowed: String, _ ok: (Double) -> Bool) throws(GridSpecError) -> Double {
        guard let s = node.scalar?.string, let v = Double(s), v.isFinite else { throw fail(node, key, "must be \(allowed)") }
        guard ok(v) else { throw fail(node, key, "must be \(allowed) (got \(s))") }
        return v
    }

    func string(_ node: Node, _ key: String, oneOf values: [String]) throws(GridSpecError) -> String {
        guard let s = node.scalar?.string, values.contains(s) else {
            throw fail(node, key, "must be one of \(values.joined(separator: ", ")) (got \(node.scalar?.string ?? "a non-scalar"))")
        }
        return s
    }

    /// An axis: a list of numbers or a range string start:stop:count.
    func axis(_ node: Node, _ key: String, allowed: String, _ ok: (Double) -> Bool) throws(GridSpecError) -> [Double] {
        var values: [Double]
        if let sequence = node.sequence {
            values = []
            for item in sequence { values.append(try number(item, key, allowed: allowed, ok)) }
        } else if let s = node.scalar?.string {
            do { values = try ParameterRange(parsing: s, flag: key).values } catch {
                throw fail(node, key, "must be a list of numbers or a range start:stop:count with start < stop and count in [2, \(ParameterRange.maximumCount)], or count 1 with start = stop (got \(s))")
            }
            for v in values where !ok(v) { throw fail(node, key, "every value must be \(allowed) (got \(v))") }
        } else {
            throw fail(node, key, "must be a list of numbers or a range start:stop:count")
        }
        guard !values.isEmpty else { throw fail(node, key, "must not be empty") }
        guard Set(values).count == values.count else { throw fail(node, key, "must not repeat a value") }
        return values
    }

    mutating func read(_ top: Node.Mapping) throws(GridSpecError) -> GridSpec {
        let keys = try entries(top, "", allowed: ["name", "model", "seed", "compute", "patterns", "dilution", "p", "axes", "mc", "rs", "plefka",
                                                       "interaction", "lambda"])
        guard let axesNode = keys["axes"], let axes = axesNode.mapping else {
            throw fail(keys["axes"], "axes", "is required: a mapping with alpha and temperature")
        }
        let model = try keys["model"].map { n throws(GridSpecError) in
            GridSpec.Model(rawValue: try string(n, "model", oneOf: GridSpec.Model.allCases.map(\.rawValue)))!
        } ?? .classical
        let multitasking = model == .multitasking
        var order: Int?
        if let n = keys["p"] {
            guard model == .dense else { throw fail(n, "p", "is used only with model: dense") }
            order = try integer(n, Limits.theoryOrder)
        } else if model == .dense {
            throw fail(keys["model"], "p", "is required with model: dense (the interaction order, \(Limits.theoryOrder.allowed))")
        }
        var exponential: ExponentialSettings?
        if model == .exponential {
            var settings = ExponentialSettings()
            if let n = keys["interaction"] {
                settings.interaction = ExponentialInteraction(rawValue: try string(n, "interaction", oneOf: ExponentialInteraction.allCases.map(\.rawValue)))!
            }
            if let n = keys["lambda"] {
                settings.lambda = try number(n, "lambda", allowed: ExponentialSettings.lambdaRange) { $0 > 0 && $0 <= 50 }
            }
            exponential = settings
        } else if let n = keys["interaction"] ?? keys["lambda"] {
            throw fail(n, keys["interaction"] != nil ? "interaction" : "lambda", "is used only with model: exponential")
        }
        var patterns: Int?, fixedDilution: Double?
        if let n = keys["patterns"] {
            guard multitasking else { throw fail(n, "patterns", "is used only with model: multitasking (classical grids have an alpha axis)") }
            patterns = try integer(n, "patterns", in: 1...MultitaskingLowStorage.maximumPatterns)
        }
        if let n = keys["dilution"] {
            guard multitasking, patterns == nil else {
                throw fail(n, "dilution", "is used only with model: multitasking without patterns (high storage, axes alpha × temperature)")
            }
            fixedDilution = try number(n, Limits.dilution)
        }
        if multitasking, patterns == nil, fixedDilution == nil {
            throw fail(keys["model"], "patterns", "or dilution is required with model: multitasking (patterns: K for low storage, dilution: d for high storage)")
        }
        let dilutionAxis = multitasking && patterns != nil
        var seed: UInt64 = 1
        if let n = keys["seed"] {
            guard let s = n.scalar?.string, let v = UInt64(s) else { throw fail(n, "seed", "must be an integer in [0, 2^64 − 1]") }
            seed = v
        }
        var compute: [GridSpec.Computation] = [.mc, .rs]
        if let n = keys["compute"] {
            guard let items = n.sequence, !items.isEmpty else { throw fail(n, "compute", "must be a non-empty list of mc, plefka, rs") }
            compute = []
            for item in items {
                let s = try string(item, "compute", oneOf: GridSpec.Computation.allCases.map(\.rawValue))
                compute.append(GridSpec.Computation(rawValue: s)!)
            }
        }
        let firstAxis = dilutionAxis ? "dilution" : "alpha"
        let axisKeys = try entries(axes, "axes", allowed: [firstAxis, "temperature"])
        guard let alphaNode = axisKeys[firstAxis] else { throw fail(axesNode, "axes.\(firstAxis)", "is required") }
        guard let temperatureNode = axisKeys["temperature"] else { throw fail(axesNode, "axes.temperature", "is required") }
        let firstValues = dilutionAxis
            ? try axis(alphaNode, "axes.dilution", allowed: "in (0, 1)") { $0 > 0 && $0 < 1 }
            : try axis(alphaNode, "axes.alpha", allowed: "> 0") { $0 > 0 }
        let alpha = dilutionAxis ? [] : firstValues
        let temperature = try axis(temperatureNode, "axes.temperature", allowed: "≥ 0") { $0 >= 0 }
        guard firstValues.count * temperature.count <= GridSpec.maximumPoints else {
            throw fail(axesNode, "axes", "must give at most \(GridSpec.maximumPoints) points (got \(firstValues.count) × \(temperature.count))")
        }

        var mc = GridSpec.MonteCarloSettings()
        if model == .dense { mc.neurons = MonteCarloDefaults.denseNeurons }
        if let settings = exponential { mc.neurons = NetworkFamily.exponential(settings).defaultNeurons }
        if let n = keys["mc"] {
            guard let m = n.mapping else { throw fail(n, "mc", "must be a mapping") }
            let e = try entries(m, "mc", allowed: ["neurons", "thermalization", "sweeps", "measure_every", "samples",
                                                   "replicas", "dynamics", "order", "init", "flip_fraction"])
            if let v = e["neurons"] { mc.neurons = try integer(v, Limits.neurons) }
            if let v = e["thermalization"] { mc.thermalization = try integer(v, Limits.thermalization) }
            if let v = e["sweeps"] { mc.sweeps = try integer(v, Limits.sweeps) }
            if let v = e["measure_every"] { mc.measureEvery = try integer(v, Limits.measureEvery(sweeps: mc.sweeps)) }
            if let v = e["samples"] { mc.samples = try integer(v, Limits.samples) }
            if let v = e["replicas"] { mc.replicas = try integer(v, Limits.replicas) }
            if let v = e["dynamics"] {
                let s = try string(v, "mc.dynamics", oneOf: [Dynamics.heatBath.rawValue, Dynamics.metropolis.rawValue])
                mc.dynamics = Dynamics(rawValue: s)!
            }
            if let v = e["order"] { mc.order = UpdateOrder(rawValue: try string(v, "mc.order", oneOf: UpdateOrder.allCases.map(\.rawValue)))! }
            let initName = try e["init"].map { n throws(GridSpecError) in try string(n, "mc.init", oneOf: ["pattern", "random", "noisy"]) } ?? "pattern"
            let flip = try e["flip_fraction"].map { n throws(GridSpecError) in
                try number(n, Limits.flipFraction)
            }
            if flip != nil, initName != "noisy" { throw fail(e["flip_fraction"], "mc.flip_fraction", "is used only with init: noisy") }
            mc.initialState = switch initName {
            case "random": .random
            case "noisy": .noisy(flipFraction: flip ?? 0.1)
            default: .pattern
            }
        }
        var quadrature = QuadratureSettings(), solver = SolverSettings()
        if let n = keys["rs"] {
            guard let m = n.mapping else { throw fail(n, "rs", "must be a mapping") }
            let e = try entries(m, "rs", allowed: ["hermite_nodes", "laguerre_nodes", "kink_threshold", "tolerance", "max_iterations"])
            if let v = e["hermite_nodes"] { quadrature.hermiteNodes = try integer(v, Limits.hermiteNodes) }
            if let v = e["laguerre_nodes"] { quadrature.laguerreNodes = try integer(v, Limits.laguerreNodes) }
            if let v = e["kink_threshold"] { quadrature.kinkThreshold = try number(v, Limits.kinkThreshold) }
            if let v = e["tolerance"] { solver.tolerance = try number(v, Limits.tolerance) }
            if let v = e["max_iterations"] { solver.maxIterations = try integer(v, Limits.maxIterations) }
        }
        var plefka: PlefkaSettings?
        if let n = keys["plefka"] {
            guard let m = n.mapping else { throw fail(n, "plefka", "must be a mapping") }
            let e = try entries(m, "plefka", allowed: ["order", "damping", "tolerance", "max_sweeps", "update"])
            var settings = PlefkaSettings()
            if let v = e["order"] { settings.order = PlefkaOrder(rawValue: try integer(v, "plefka.order", in: 1...2))! }
            if let v = e["damping"] { settings.damping = try number(v, "plefka.damping", allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 } }
            if let v = e["tolerance"] { settings.tolerance = try number(v, Limits.tolerance) }
            if let v = e["max_sweeps"] { settings.maxSweeps = try integer(v, "plefka.max_sweeps", in: 1...1_000_000) }
            if let v = e["update"] {
                guard let word = v.scalar?.string, let update = PlefkaUpdate(rawValue: word) else {
                    throw fail(v, "plefka.update", "must be parallel or sequential")
                }
                settings.update = update
            }
            plefka = settings
        }
        if plefka != nil, !compute.contains(.plefka) { throw fail(keys["plefka"], "plefka", "is used only with plefka in compute") }
        var name = "grid"
        if let n = keys["name"] {
            guard let s = n.scalar?.string, !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw fail(n, "name", "must be a non-empty word of letters, digits, '-', '_' or '.'")
            }
            name = s
        }
        var spec = GridSpec(name: name, model: model, seed: seed, compute: compute, alpha: alpha,
                            dilution: dilutionAxis ? firstValues : [], patterns: patterns, fixedDilution: fixedDilution,
                            temperature: temperature,
                            monteCarlo: mc, quadrature: quadrature, solver: solver)
        spec.order = order
        spec.exponential = exponential
        spec.plefka = plefka
        if keys["mc"] != nil {
            for a in alpha where spec.family(at: a).patterns(alpha: a, neurons: mc.neurons) < 1 {
                throw fail(alphaNode, "axes.alpha", "every α must give round(αN^{P−1}) ≥ 1 with mc.neurons = \(mc.neurons) (got \(a))")
            }
        }
        if model == .exponential, let a = alpha.first(where: { $0 >= log(2.0) }) {
            throw fail(alphaNode, "axes.alpha", "must be below ln 2 = 0.6931… with model: exponential (K = e^{αN} ≤ 2^N; got \(a))")
        }
        if order != nil || exponential != nil, compute.contains(.mc) || compute.contains(.plefka) {
            // Memory (and the family's limits) of the largest point, checked before any run starts;
            // the error under the spec key of the parameter it names (mc.neurons, or axes.alpha).
            let largest = spec.monteCarloParameters(spec.points.max { $0.x < $1.x }!)
            do { try largest.validate() } catch {
                let neurons = error.key == .neurons
                throw fail(neurons ? keys["mc"] : alphaNode, neurons ? "mc.neurons" : "axes.alpha", error.message)
            }
        }
        if compute.contains(.plefka), let point = spec.plefkaPoints.first {
            // A family without a Plefka engine refuses here, not after the run has started.
            do { _ = try spec.contract.plefkaNeglects(spec.monteCarloParameters(point), spec.plefkaSettings) } catch {
                throw fail(keys["compute"], "compute", "plefka is not available for model: \(model.rawValue) (\(error.description))")
            }
        }
        return spec
    }
}
