package dev.pulse.web;

import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code GET /login}: the login form (SPEC §5.5), public. Spring Security handles its {@code POST}; a failed login
 * comes back as {@code ?error}, without saying whether the name or the password was wrong.
 */
@Controller
class LoginPageController {

    @GetMapping("/login")
    String login(@RequestParam Map<String, String> parameters, Model model) {
        // ?error and ?logout come without a value, which a String @RequestParam would turn into null
        model.addAttribute("failed", parameters.containsKey("error"));
        model.addAttribute("loggedOut", parameters.containsKey("logout"));
        return "login";
    }
}
