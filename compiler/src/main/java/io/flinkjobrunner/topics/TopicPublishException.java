package io.flinkjobrunner.topics;

/** Records could not be published; the message names the topic and Kafka's reason, never client credentials. */
public class TopicPublishException extends RuntimeException {

    public TopicPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
