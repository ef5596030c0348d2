package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What all console controllers share: a {@link ConsoleUser} parameter is the signed-in user (never taken from the
 * request), every page's frame gets a {@link ConsoleView}, and an error in a console page is a page (the API's
 * errors stay JSON).
 */
@Configuration(proxyBeanMethods = false)
@ControllerAdvice(basePackageClasses = ConsolePages.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsolePages implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == ConsoleUser.class;
    }

    @Override
    public ConsoleUser resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        if (principal() instanceof ConsoleUser user) {
            return user;
        }
        throw new ApiException(HttpStatus.FORBIDDEN, "not_an_org_user", "sign in as a user of an org", null);
    }

    @ModelAttribute("console")
    ConsoleView console() {
        Object principal = principal();
        return new ConsoleView(principal instanceof ConsoleUser user ? user : null, principal instanceof Operator);
    }

    /** A form field missing, of the wrong type or not decodable: the console's error page, not the API's JSON. */
    @ExceptionHandler({
        MissingServletRequestParameterException.class,
        MethodArgumentTypeMismatchException.class,
        InvalidParameterException.class
    })
    ModelAndView badForm(Exception e, HttpServletResponse response) {
        String field = switch (e) {
            case MissingServletRequestParameterException missing -> missing.getParameterName();
            case MethodArgumentTypeMismatchException mismatch -> mismatch.getName();
            default -> null;
        };
        return error(
                new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "invalid_form",
                        field == null ? "the form is not valid" : "the form's field " + field + " is missing or wrong",
                        field),
                response);
    }

    @ExceptionHandler(ApiException.class)
    ModelAndView error(ApiException e, HttpServletResponse response) {
        response.setStatus(e.status().value());
        ModelAndView page = new ModelAndView("console/error");
        page.setStatus(e.status());
        page.addObject("heading", e.status() == HttpStatus.NOT_FOUND ? "Not found" : "Cannot do that");
        page.addObject("message", e.getMessage());
        page.addObject("console", console());
        return page;
    }

    static Object principal() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? null : authentication.getPrincipal();
    }
}
