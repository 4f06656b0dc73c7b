extension MonteCarloParameters {
    /// On disk the parameters carry the load α = P/N beside P and N, and the initial state as its
    /// name plus `flip_fraction` (null unless noisy); α is recomputed, not trusted, when read back.
    private enum CodingKeys: String, CodingKey {
        case model, neurons, patterns, alpha, temperature, dynamics, order, thermalization, sweeps
        case measureEvery, samples, replicas, initialState = "init", flipFraction, seed, point, dilution
        case interactionOrder = "p", hamiltonian, training, datasetEntropy, interaction, lambda
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let model = try c.decode(String.self, forKey: .model)
        let initName = try c.decode(String.self, forKey: .initialState)
        let initial: InitialState
        switch initName {
        case "pattern": initial = .pattern
        case "random": initial = .random
        case "noisy": initial = .noisy(flipFraction: try c.decode(Double.self, forKey: .flipFraction))
        case "plefka": initial = .plefka
        default:
            throw DecodingError.dataCorruptedError(forKey: .initialState, in: c, debugDescription: "unknown init '\(initName)'")
        }
        self.init(neurons: try c.decode(Int.self, forKey: .neurons),
                  patterns: try c.decode(Int.self, forKey: .patterns),
                  temperature: try c.decode(Double.self, forKey: .temperature),
                  dynamics: try c.decode(Dynamics.self, forKey: .dynamics),
                  order: try c.decode(UpdateOrder.self, forKey: .order),
                  thermalization: try c.decode(Int.self, forKey: .thermalization),
                  sweeps: try c.decode(Int.self, forKey: .sweeps),
                  measureEvery: try c.decode(Int.self, forKey: .measureEvery),
                  samples: try c.decode(Int.self, forKey: .samples),
                  replicas: try c.decode(Int.self, forKey: .replicas),
                  initialState: initial,
                  seed: try c.decode(UInt64.self, forKey: .seed),
                  point: try c.decode(UInt64.self, forKey: .point))
        let dilution = try c.decodeIfPresent(Double.self, forKey: .dilution) ?? 0
        let settings = try c.decodeIfPresent(Int.self, forKey: .interactionOrder).map { order in
            DenseSettings(order: order, hamiltonian: try c.decode(DenseHamiltonian.self, forKey: .hamiltonian),
                          training: try c.decodeIfPresent(TrainingSet.self, forKey: .training))
        }
        // The family from its name; the other keys must agree with it.
        if settings == nil, c.contains(.training) || c.contains(.hamiltonian) {
            throw DecodingError.dataCorruptedError(forKey: .training, in: c, debugDescription: "training or hamiltonian without p")
        }
        let exponential = try c.decodeIfPresent(ExponentialInteraction.self, forKey: .interaction).map { interaction in
            ExponentialSettings(interaction: interaction, lambda: try c.decode(Double.self, forKey: .lambda))
        }
        if (model == "exponential") != (exponential != nil) {
            throw DecodingError.dataCorruptedError(forKey: .interaction, in: c, debugDescription: "interaction and lambda go with model 'exponential' only")
        }
        switch (model, settings) {
        case ("exponential", nil) where dilution == 0:
            family = .exponential(exponential!)
        case ("classical", nil) where dilution == 0:
            family = .classical
        case ("multitasking", nil) where dilution > 0:
            family = .multitasking(dilution: dilution)
        case ("multitasking", let s?) where dilution > 0 && s.order == 2 && s.hamiltonian == .gardner && s.training != nil:
            family = .multitasking(dilution: dilution, training: s.training)
        case ("dense", let s?) where dilution == 0:
            family = .dense(s)
        case ("classical", _), ("multitasking", _), ("dense", _), ("exponential", _):
            throw DecodingError.dataCorruptedError(forKey: .dilution, in: c, debugDescription: "dilution \(dilution) or p contradicts model '\(model)'")
        default:
            throw DecodingError.dataCorruptedError(forKey: .model, in: c, debugDescription: "model '\(model)' is not classical, multitasking, dense or exponential")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(neurons, forKey: .neurons)
        try c.encode(patterns, forKey: .patterns)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(temperature, forKey: .temperature)
        try c.encode(dynamics, forKey: .dynamics)
        try c.encode(order, forKey: .order)
        try c.encode(thermalization, forKey: .thermalization)
        try c.encode(sweeps, forKey: .sweeps)
        try c.encode(measureEvery, forKey: .measureEvery)
        try c.encode(samples, forKey: .samples)
        try c.encode(replicas, forKey: .replicas)
        try c.encode(initialState.name, forKey: .initialState)
        if case .noisy(let f) = initialState {
            try c.encode(f, forKey: .flipFraction)
        } else {
            try c.encodeNil(forKey: .flipFraction)
        }
        try c.encode(seed, forKey: .seed)
        try c.encode(point, forKey: .point)
        try c.encode(dilution, forKey: .dilution)
        if let dense = family.couplingSettings {
            try c.encode(dense.order, forKey: .interactionOrder)
            try c.encode(dense.hamiltonian, forKey: .hamiltonian)
            try c.encodeIfPresent(dense.training, forKey: .training)
            // ρ, recomputed from (M, r) when read back.
            try c.encodeIfPresent(dense.training?.datasetEntropy, forKey: .datasetEntropy)
        }
        if case .exponential(let settings) = family {
            try c.encode(settings.interaction, forKey: .interaction)
            try c.encode(settings.lambda, forKey: .lambda)
        }
    }
}
