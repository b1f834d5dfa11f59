package io.flotilla.cli;

import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.api.Validation;
import picocli.CommandLine;

import java.time.Duration;

/** Go-style durations on the command line ({@code 90s}, {@code 5m}, {@code 1h30m}), as everywhere in Flotilla. */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            Duration d = Validation.parseDuration("duration", value);
            if (d.isZero() || d.isNegative()) {
                throw new CommandLine.TypeConversionException("must be more than 0, like 30s or 5m");
            }
            return d;
        } catch (ApiError e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
