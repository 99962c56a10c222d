/// What a model predicts: a class among those it was trained on, or a number.
public enum ModelTask: String, Codable, Sendable { case classification, regression }
