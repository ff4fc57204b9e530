extension Network {
    static let builtinModelFile = ""

    /// The built-in model, compiled into the binary.
    public static func builtin() throws(ModelError) -> Network {
        try load(modelFile: Array(builtinModelFile.utf8), path: "built-in model")
    }
}
