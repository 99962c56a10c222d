import CairnCore

/// The metrics the evaluate stage writes and a search can rank by, so that a misspelt name is a
/// mistake in the pipeline file, found when it loads, rather than at the end of a search.
public enum MetricName: String, ConfigEnum {
    case accuracy, balanced_accuracy, log_loss
    /// Two classes.
    case precision, recall, f1, roc_auc
    /// More than two classes.
    case precision_macro, recall_macro, f1_macro, roc_auc_ovr
    case r2, rmse, mae, mse

    public var task: ModelTask { [.r2, .rmse, .mae, .mse].contains(self) ? .regression : .classification }

    /// Lower is better for these.
    public var isLoss: Bool { [.log_loss, .rmse, .mae, .mse].contains(self) }
}
