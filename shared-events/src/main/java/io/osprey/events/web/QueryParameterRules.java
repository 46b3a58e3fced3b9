package io.osprey.events.web;

import io.osprey.events.validation.Violations;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Before a controller runs: its path must hold no {@code ;} path parameters, its query string must decode
 * ({@link QueryParameters}), a parameter it takes as one value must be given once, and an integer one must be
 * ASCII digits. Spring would join {@code path=/a&path=/b} into {@code "/a,/b"} and write that path.
 */
final class QueryParameterRules implements HandlerInterceptor {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();
    private static final Set<Class<?>> INTEGRAL = Set.of(Integer.class, int.class, Long.class, long.class);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // an error dispatch (to /error, after the request failed) keeps the request's query string
        if (!(handler instanceof HandlerMethod method) || request.getDispatcherType() != DispatcherType.REQUEST) {
            return true;
        }
        QueryParameters query = QueryParameters.parse(request.getQueryString());
        Violations violations = new Violations();
        if (request.getRequestURI().indexOf(';') >= 0) {
            // the container drops ";x=y" from a segment before routing: "/executions/a;b" would act on "a"
            violations.add("path", "path-parameter", "the path must not contain ';' (path parameters are not taken)");
        }
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
            if (annotation == null || takesSeveral(parameter)) {
                continue;
            }
            String name = name(parameter, annotation);
            int times = query.count(name);
            if (times > 1) {
                violations.add(name, "duplicate", QueryParameters.duplicate(name, times));
            }
            Class<?> type = parameter.getParameterType();
            if (INTEGRAL.contains(type)) {
                List<String> values = query.all(name);
                if (values.stream().anyMatch(value -> !Violations.ASCII_INTEGER.matcher(value).matches())) {
                    // Java's parsing takes a '+' and any Unicode digit: size=%EF%BC%92 (a fullwidth 2) was read as 2;
                    // and Spring reads an empty value as no value: attempt= filtered nothing
                    violations.add(name, "type", name + " must be an integer of ASCII digits, like 25");
                } else {
                    values.stream().filter(value -> !fits(value, type)).findFirst().ifPresent(value -> {
                        boolean isInt = type == Integer.class || type == int.class;
                        violations.add(name, "range", value.startsWith("-")
                                ? name + " is too small for a number here: at least " + (isInt ? Integer.MIN_VALUE : Long.MIN_VALUE)
                                : name + " is too large for a number here: at most " + (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE));
                    });
                }
            }
        }
        violations.throwIfAny();
        return true;
    }

    /** Whether the digits fit the parameter's type, which Spring would otherwise refuse as a mismatch of types. */
    private static boolean fits(String digits, Class<?> type) {
        try {
            if (type == Integer.class || type == int.class) {
                Integer.parseInt(digits);
            } else {
                Long.parseLong(digits);
            }
            return true;
        } catch (NumberFormatException tooLong) {
            return false;
        }
    }

    private static boolean takesSeveral(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType() == Optional.class
                ? parameter.nested().getNestedParameterType() : parameter.getParameterType();
        return type.isArray() || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }

    /** The name a {@code @RequestParam} is read under. */
    static String name(MethodParameter parameter, RequestParam annotation) {
        if (!annotation.name().isEmpty()) {
            return annotation.name();
        }
        parameter.initParameterNameDiscovery(NAMES);
        return parameter.getParameterName();
    }
}
