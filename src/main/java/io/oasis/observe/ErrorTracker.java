package io.oasis.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Every error logged with an exception, grouped by type and place (the exception's class and the first frame in
 * Oasis' code, else its top frame): count, first and last seen, the last stack trace and message, and the request
 * it happened in (what {@link RequestContext} put in the MDC). It listens to the log (an appender on the root
 * logger), so no failure site has to remember it. Messages never hold headers or bodies; the number of groups is
 * bounded, the least recently seen go first.
 */
@Component
public class ErrorTracker extends AppenderBase<ILoggingEvent> implements InitializingBean, DisposableBean {

    static final int MAX_GROUPS = 200;
    private static final int MAX_TRACE = 8192;
    /** a message can carry what an upstream or a caller sent: kept to this many characters */
    private static final int MAX_MESSAGE = 1024;

    /** One kind of error. */
    public record Group(String type, String place, long count, Instant firstSeen, Instant lastSeen, String logger,
                        String lastMessage, String lastStackTrace, Map<String, String> lastRequest) {
    }

    private final Map<String, Group> groups = new ConcurrentHashMap<>();

    @Override
    public void afterPropertiesSet() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(context);
        setName("oasis-error-tracker");
        start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
    }

    @Override
    public void destroy() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .detachAppender(this);
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        IThrowableProxy error = event.getThrowableProxy();
        if (!event.getLevel().isGreaterOrEqual(Level.ERROR) || error == null) {
            return;
        }
        String type = error.getClassName();
        String place = place(error);
        Instant now = Instant.ofEpochMilli(event.getTimeStamp());
        String trace = ThrowableProxyUtil.asString(error);
        String shown = trace.length() > MAX_TRACE ? trace.substring(0, MAX_TRACE) + "\n\t..." : trace;
        groups.compute(type + "@" + place, (key, group) -> new Group(type, place,
                group == null ? 1 : group.count() + 1, group == null ? now : group.firstSeen(), now,
                event.getLoggerName(), LogText.line(event.getFormattedMessage(), MAX_MESSAGE), shown, request(event)));
        if (groups.size() > MAX_GROUPS) {
            groups.values().stream().min(Comparator.comparing(Group::lastSeen))
                    .ifPresent(oldest -> groups.remove(oldest.type() + "@" + oldest.place()));
        }
    }

    /** The groups, most recently seen first. */
    public List<Group> groups() {
        List<Group> list = new ArrayList<>(groups.values());
        list.sort(Comparator.comparing(Group::lastSeen).reversed());
        return list;
    }

    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("groups", groups());
        return summary;
    }

    /** The request the error happened in, as RequestContext put it in the MDC; empty outside a request. */
    private static Map<String, String> request(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        Map<String, String> request = new LinkedHashMap<>();
        for (String key : RequestContext.KEYS) {
            String value = mdc.get(key);
            if (value != null) {
                request.put(key, value);
            }
        }
        return request;
    }

    private static String place(IThrowableProxy error) {
        StackTraceElementProxy[] frames = error.getStackTraceElementProxyArray();
        if (frames == null || frames.length == 0) {
            return "unknown";
        }
        for (StackTraceElementProxy frame : frames) {
            StackTraceElement element = frame.getStackTraceElement();
            if (element.getClassName().startsWith("io.oasis.")) {
                return element.getClassName() + "." + element.getMethodName() + ":" + element.getLineNumber();
            }
        }
        StackTraceElement top = frames[0].getStackTraceElement();
        return top.getClassName() + "." + top.getMethodName() + ":" + top.getLineNumber();
    }
}
