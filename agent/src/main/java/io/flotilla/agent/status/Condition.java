package io.flotilla.agent.status;

/** A BundleDeployment condition ({@code Deployed}, {@code Installed}, {@code Monitored}, {@code Ready}). */
public record Condition(String type, String status, String reason, String message) {

    public static Condition ok(String type) {
        return new Condition(type, "True", "", "");
    }

    public static Condition failed(String type, String message) {
        return new Condition(type, "False", "Error", message);
    }

    public boolean isTrue() {
        return "True".equals(status);
    }
}
