package io.paystream.api.auth;

import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.ClientAddress;
import io.paystream.persistence.user.UserStore;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Registration, login, token refresh and logout, and the caller's own profile. */
@RestController
public class AuthController {

  private final UserAccounts userAccounts;
  private final UserStore users;
  private final ClientAddress clientAddress;

  public AuthController(UserAccounts userAccounts, UserStore users, ClientAddress clientAddress) {
    this.userAccounts = userAccounts;
    this.users = users;
    this.clientAddress = clientAddress;
  }

  public record RegisterRequest(String email, String password, String name) {}

  public record UserDocument(UUID userId, String email, String name) {}

  public record LoginRequest(String email, String password) {}

  public record RefreshRequest(String refreshToken) {}

  public record TokenPair(
      String accessToken, String refreshToken, String tokenType, long expiresIn) {}

  public record Me(UUID userId, String email, String name, List<String> roles) {}

  @ApiResponse(
      responseCode = "201",
      description = "Registered",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = UserDocument.class)))
  @PostMapping("/api/v1/auth/register")
  public Mono<ResponseEntity<UserDocument>> register(
      @RequestBody RegisterRequest request, ServerHttpRequest http) {
    return userAccounts
        .register(request, clientAddress.of(http))
        .map(user -> ResponseEntity.created(URI.create("/api/v1/me")).body(user));
  }

  @PostMapping("/api/v1/auth/login")
  public Mono<TokenPair> login(@RequestBody LoginRequest request, ServerHttpRequest http) {
    return userAccounts.login(request, clientAddress.of(http));
  }

  @PostMapping("/api/v1/auth/refresh")
  public Mono<TokenPair> refresh(@RequestBody RefreshRequest request, ServerHttpRequest http) {
    return userAccounts.refresh(request, clientAddress.of(http));
  }

  @ApiResponse(responseCode = "204", description = "Every token of this login is revoked")
  @PostMapping("/api/v1/auth/logout")
  public Mono<ResponseEntity<Void>> logout(
      @AuthenticationPrincipal Jwt jwt, @RequestBody RefreshRequest request) {
    return userAccounts
        .logout(CurrentUser.of(jwt), request)
        .thenReturn(ResponseEntity.noContent().build());
  }

  @GetMapping("/api/v1/me")
  public Mono<Me> me(@AuthenticationPrincipal Jwt jwt) {
    return users
        .find(CurrentUser.of(jwt).id())
        .map(user -> new Me(user.id(), user.email(), user.name(), user.roles()))
        .switchIfEmpty(
            Mono.error(
                () ->
                    new ApiException(
                        ApiError.UNAUTHORIZED, "the user of this token no longer exists")));
  }
}
