package io.paystream.api.security;

import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jwt.Jwt;

/** The authenticated caller, as read from a verified access token. */
public record CurrentUser(UUID id, List<String> roles) {

  public static final String OPS = "OPS";
  public static final String CUSTOMER = "CUSTOMER";

  public boolean isOps() {
    return roles.contains(OPS);
  }

  public static CurrentUser of(Jwt jwt) {
    List<String> roles = jwt.getClaimAsStringList(TokenService.ROLES_CLAIM);
    return new CurrentUser(UUID.fromString(jwt.getSubject()), roles == null ? List.of() : roles);
  }
}
