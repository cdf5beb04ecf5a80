package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * {@code validate}: download the inputs, parse them, check the shapes graph (SHACL-for-SHACL), report what the
 * compiler will do with every shape, and with {@code urls.model} validate the model with ShaclSail.
 */
@ApplicationScoped
public class ValidateTarget implements Target {

    @Inject
    InputChecks inputChecks;
    @Inject
    ModelValidationStep validateModel;

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String description() {
        return "download, parse and check knowledge + shapes; coverage report; validate an optional NGSI-LD model";
    }

    @Override
    public List<Step> steps() {
        return inputChecks.then(validateModel);
    }
}
