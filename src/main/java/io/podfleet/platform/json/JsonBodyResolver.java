package io.podfleet.platform.json;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/** Reads {@link JsonBody} parameters with the server's JSON mapper. */
final class JsonBodyResolver implements HandlerMethodArgumentResolver {

    private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);

    private final JsonMapper json;

    JsonBodyResolver(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(JsonBody.class);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest webRequest,
                                  WebDataBinderFactory binders) throws Exception {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        byte[] body = request.getInputStream().readAllBytes(); // (bounded by BodySizeLimit)
        if (body.length == 0) {
            if (parameter.getParameterAnnotation(JsonBody.class).required()) {
                throw new HttpMessageNotReadableException("Required request body is missing", new ServletServerHttpRequest(request));
            }
            return null;
        }
        MediaType given = contentType(request);
        if (given == null || !(given.isCompatibleWith(MediaType.APPLICATION_JSON) || given.getSubtype().endsWith("+json"))) {
            throw new HttpMediaTypeNotSupportedException(given, JSON, HttpMethod.valueOf(request.getMethod()));
        }
        try {
            return json.readValue(body, parameter.getParameterType());
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException("JSON parse error: " + e.getOriginalMessage(), e, new ServletServerHttpRequest(request));
        }
    }

    /** The request's content type; null when it has none or one that cannot be read (answered 415, as Spring does). */
    private static MediaType contentType(HttpServletRequest request) {
        try {
            return request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        } catch (InvalidMediaTypeException e) {
            return null;
        }
    }
}
