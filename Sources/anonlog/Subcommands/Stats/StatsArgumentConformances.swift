public import AnonLogCore
public import ArgumentParser

// Library enums used directly as option values of the stats commands; their raw values are what
// users type.
extension StatsFormat: ExpressibleByArgument {}
extension SQLiteStatsStore.TopDimension: ExpressibleByArgument {}
extension SQLiteStatsStore.TopMetric: ExpressibleByArgument {}
extension SQLiteStatsStore.AlertGrouping: ExpressibleByArgument {}
extension AlertScope: ExpressibleByArgument {}
extension DetectionRule: ExpressibleByArgument {}
