public import AnonLogCore
public import ArgumentParser

// Library enums used directly as option values; their raw values are what users type.
extension HMACPseudonymizer.Shape: ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}
extension AnonymizationMode: ExpressibleByArgument {}
extension KeyRotation: ExpressibleByArgument {}
