package dev.pulse.web;

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
    String login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout, Model model) {
        model.addAttribute("failed", error != null);
        model.addAttribute("loggedOut", logout != null);
        return "login";
    }
}
